// Sets the document's language and title, folds the phone menu, and lets the keyboard reach tables that scroll.
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
        },
        // The menu button opens and closes the navigation; following a link closes it again.
        toggleMenu: function (clicks, pathname) {
            var context = window.dash_clientside.callback_context;
            var clicked = context.triggered.some(function (t) { return t.prop_id === "shell-menu.n_clicks"; });
            var button = document.getElementById("shell-menu");
            var open = clicked && button && button.getAttribute("aria-expanded") !== "true";
            return [open ? "open" : "", open ? "true" : "false"];
        }
    }
});

// A table box that scrolls sideways must be focusable, or keyboard users cannot scroll it (WCAG 2.1.1).
(function () {
    function markScrollingTables() {
        document.querySelectorAll(".data-table, .table-scroll").forEach(function (box) {
            if (box.tagName === "TABLE") { return; }
            var scrolls = box.scrollWidth > box.clientWidth + 1;
            if (scrolls && !box.hasAttribute("tabindex")) {
                box.setAttribute("tabindex", "0");
                box.setAttribute("data-shell-tabindex", "");
            } else if (!scrolls && box.hasAttribute("data-shell-tabindex")) {
                box.removeAttribute("tabindex");
                box.removeAttribute("data-shell-tabindex");
            }
        });
    }
    var pending = null;
    function soon() {
        if (pending === null) {
            pending = setTimeout(function () { pending = null; markScrollingTables(); }, 100);
        }
    }
    new MutationObserver(soon).observe(document.documentElement, {childList: true, subtree: true, attributes: true,
                                                                 attributeFilter: ["open"]});
    window.addEventListener("resize", soon);
})();

// dcc.Markdown fetches highlight.js (37 KB) on every page with a table, unless a highlighter is there: the dashboard's
// Markdown is tables only, with no code blocks to colour, so a highlighter that leaves them as they are stands in.
window.hljs = window.hljs || { highlightElement: function () {} };
