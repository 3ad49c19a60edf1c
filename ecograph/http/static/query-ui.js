/* The query UI at /: YASGUI (vendored by scripts/vendor-ui) over this server's /sparql.
 *
 * Reads its configuration from <script type="application/json" id="ecograph-ui-config"> (written by
 * ecograph/http/ui.py): the endpoint, the project's prefixes, the first query, and one tab per named query.
 * Talks to no host but this server: the editor's class and property autocompleters (which ask Linked Open
 * Vocabularies) are off, prefix.cc is never asked (prefixCcApi null), and the prefix autocompleter offers the
 * project's prefixes before YASQE's bundled list. Tabs are not kept in localStorage: each visit shows the
 * catalogue as the server has it (a shared link, #query=…, still opens as a tab). An error answer is shown as
 * its message, place and hint (renderError), not as a line of JSON.
 */
(function () {
  "use strict";
  var configEl = document.getElementById("ecograph-ui-config");
  var root = document.getElementById("yasgui");
  if (!configEl || !root || !window.Yasgui) {
    return;
  }
  var config = JSON.parse(configEl.textContent);
  var Yasgui = window.Yasgui.default || window.Yasgui.Yasgui || window.Yasgui;
  var Yasqe = window.Yasqe || Yasgui.Yasqe;
  var endpoint = new URL(config.endpoint, window.location.href).href;

  // Autocompletion that needs no network: variables, and prefixes (the project's first).
  var projectPrefixes = Object.keys(config.prefixes).map(function (p) {
    return p + ": <" + config.prefixes[p] + ">";
  });
  var bundled = Yasqe.Autocompleters.prefixes;
  Yasqe.forkAutocompleter("prefixes", {
    name: "ecograph-prefixes",
    persistenceId: null,
    get: function (yasqe) {
      var ours = Promise.resolve(projectPrefixes);
      if (!bundled || !bundled.get) {
        return ours;
      }
      return bundled.get(yasqe).then(function (list) {
        return projectPrefixes.concat(list.filter(function (line) {
          return !Object.prototype.hasOwnProperty.call(config.prefixes, line.split(":")[0]);
        }));
      }, function () {
        return projectPrefixes;
      });
    }
  }, false);
  Yasqe.defaults.autocompleters = ["variables", "ecograph-prefixes"];
  Yasqe.defaults.prefixCcApi = null;
  Yasgui.defaults.yasqe.autocompleters = ["variables", "ecograph-prefixes"];
  Yasgui.defaults.endpointCatalogueOptions.getData = function () {
    return [{ endpoint: endpoint }];
  };

  // An error answer ({"error", "hint", "line", "column"}: ecograph's one error shape) as text a person reads,
  // wrapped to the width of the page, instead of YASR's one raw line of JSON; the place in the query is a link
  // that puts the editor's cursor there. Anything else (a proxy's HTML page) is shown as wrapped text.
  var Yasr = window.Yasr || Yasgui.Yasr;
  var labels = config.lang === "ja" ? { error: "エラー", hint: "ヒント", at: "位置", line: "行", column: "列" }
    : { error: "Error", hint: "Hint", at: "At", line: "line", column: "column" };
  function textElement(tag, className, text) {
    var el = document.createElement(tag);
    if (className) {
      el.className = className;
    }
    el.textContent = text;
    return el;
  }
  function renderError(error) {
    if (!error || !error.text) {
      return undefined;  // no answer at all (the network, CORS): YASGUI's own renderers say so
    }
    var body = null;
    try {
      body = JSON.parse(error.text);
    } catch (e) {
      body = null;
    }
    var box = document.createElement("div");
    box.className = "ecograph-error";
    box.setAttribute("role", "alert");
    if (!body || typeof body.error !== "string") {
      box.appendChild(textElement("pre", "ecograph-error-raw", error.text));
      return box;
    }
    box.appendChild(textElement("p", "ecograph-error-title", labels.error + " " + (body.status || error.status || "")));
    box.appendChild(textElement("p", "ecograph-error-message", body.error));
    if (typeof body.line === "number") {
      var at = document.createElement("p");
      at.className = "ecograph-error-place";
      at.appendChild(document.createTextNode(labels.at + ": "));
      var link = textElement("a", "ecograph-error-link", labels.line + " " + body.line + ", " + labels.column + " " + body.column);
      link.href = "#";
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var yasqe = yasgui.getTab().getYasqe();
        yasqe.focus();
        yasqe.setCursor({ line: body.line - 1, ch: body.column - 1 });
      });
      at.appendChild(link);
      box.appendChild(at);
    }
    if (body.hint) {
      var hint = document.createElement("p");
      hint.className = "ecograph-error-hint";
      hint.appendChild(textElement("strong", "", labels.hint + ": "));
      hint.appendChild(document.createTextNode(body.hint));
      box.appendChild(hint);
    }
    return box;
  }
  Yasr.defaults.errorRenderers = [renderError];

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    persistenceId: null,
    autoAddOnInit: false,
    copyEndpointOnNewTab: true,
    tabName: config.newTab || "Query",
    yasqe: { value: config.initialQuery },
    yasr: { prefixes: config.prefixes }  // results show program:10, xsd:decimal, … with or without PREFIX lines
  });

  var first = yasgui.persistentConfig.getTabs().length === 0;
  yasgui.addTab(first, {
    id: "query",
    name: config.newTab || "Query",
    yasqe: { value: config.initialQuery },
    requestConfig: { endpoint: endpoint }
  });
  config.tabs.forEach(function (tab) {
    yasgui.addTab(false, {
      id: "q-" + tab.name,
      name: tab.title,
      yasqe: { value: tab.text },
      requestConfig: { endpoint: endpoint }
    });
  });
  // #tab=NAME opens the tab of a named query (used by links from /queries and by the tests).
  var wanted = /(?:^#|&)tab=([a-z0-9-]+)/.exec(window.location.hash);
  if (wanted && yasgui.getTab("q-" + wanted[1])) {
    yasgui.selectTabId("q-" + wanted[1]);
  }
  window.ecographYasgui = yasgui;
  root.setAttribute("data-ready", "true");
})();
