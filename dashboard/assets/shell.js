// Sets the document's language and title after Dash's own router has set its default title.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    shell: {
        applyMeta: function (meta) {
            if (meta) {
                setTimeout(function () {
                    document.documentElement.lang = meta.lang;
                    document.title = meta.title;
                }, 0);
            }
            return window.dash_clientside.no_update;
        }
    }
});
