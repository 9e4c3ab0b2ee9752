"""The bench starts gunicorn with the very command of the Makefile's `run` target."""

from bench import gunicorn


def test_the_served_command_is_the_makefiles_run_command_with_port_and_database_filled_in():
    command = gunicorn.run_command("/data/labour.sqlite", 8123)
    assert command[0].endswith("/bin/gunicorn")
    assert command[command.index("--bind") + 1] == "127.0.0.1:8123"
    assert command[command.index("--env") + 1] == "ARBEIDSMARKT_DB=/data/labour.sqlite"
    assert command[-1] == "dashboard.wsgi:server"
    assert not [word for word in command if "$(" in word or word == "-"]
