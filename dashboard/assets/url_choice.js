// Dropdowns that put their choice in the page's URL, answered in the browser. Each dropdown reports its value once it
// is drawn, so a server callback cost every first view one round trip per dropdown (~200 ms at the end of the page's
// load) only to answer "no change". These are dashboard/params.py's search_string and chosen_search, in JavaScript.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    url: {
        // A URL's search string as {name: value} (the first value of a repeated name).
        parse: function (search) {
            var query = {};
            new URLSearchParams(search || "").forEach(function (value, name) {
                if (!(name in query)) { query[name] = value; }
            });
            return query;
        },
        // `?a=1&b=2` from the non-empty values, sorted by name, encoded as Python's urlencode encodes them.
        searchString: function (query) {
            function plus(text) {
                return encodeURIComponent(text).replace(/[!'()*]/g, function (c) {
                    return "%" + c.charCodeAt(0).toString(16).toUpperCase();
                }).replace(/%20/g, "+");
            }
            var kept = Object.keys(query).sort().filter(function (name) {
                return query[name] !== null && query[name] !== undefined && query[name] !== "";
            });
            return kept.length ? "?" + kept.map(function (name) { return plus(name) + "=" + plus(query[name]); }).join("&") : "";
        },
        // The search with the chosen values put in, or no_update when the view would not change: an empty choice,
        // or every value already in the URL (or its default where the URL has none).
        chosenSearch: function (search, chosen, defaults) {
            var url = window.dash_clientside.url, query = url.parse(search), names = Object.keys(chosen);
            var same = names.every(function (name) { return (query[name] || defaults[name]) === chosen[name]; });
            if (!names.every(function (name) { return chosen[name]; }) || same) {
                return window.dash_clientside.no_update;
            }
            names.forEach(function (name) { query[name] = chosen[name]; });
            return url.searchString(query);
        },
        // The search with each filter set to its chosen value or left out, or no_update when that is the URL's view.
        filteredSearch: function (search, chosen) {
            var url = window.dash_clientside.url, query = url.parse(search);
            Object.keys(chosen).forEach(function (name) { query[name] = chosen[name] || ""; });
            var updated = url.searchString(query);
            return updated === url.searchString(url.parse(search)) ? window.dash_clientside.no_update : updated;
        }
    }
});
