/* The query UI at /: YASGUI (vendored by scripts/vendor-ui) over this server's /sparql, one editor, and a menu of
 * the named queries above it (both written by ecograph/http/ui.py).
 *
 * Reads its configuration from <script type="application/json" id="ecograph-ui-config">: the endpoint, the URL of
 * the ontology's terms, the project's prefixes, the first query, the named queries (group, title, description,
 * text) and the texts it writes into the page, in the page's language.
 * - Talks to no host but this server: the class and property autocompleters that ask Linked Open Vocabularies are
 *   replaced by ones that read /ontology/terms.json, prefix.cc is never asked (prefixCcApi null), and the prefix
 *   autocompleter offers the project's prefixes before YASQE's bundled list.
 * - Keyboard (WCAG 2.1.2, no keyboard trap): focus does not start in the editor, and Tab / Shift+Tab leave it as
 *   they leave any field; Ctrl+] and Ctrl+[ (CodeMirror's indentMore / indentLess) indent instead, as the hint
 *   above the editor says.
 * - YASGUI's markup is mended after it draws (mend): its tab bar is hidden (the menu replaces it; its tabs pointed
 *   at panels not in the page), and the endpoint field, the editor and the result controls get labels.
 * - Results: IRIs as CURIEs under the project's prefixes (ecograph IRIs link to this server's pages), literals
 *   without the ^^xsd: noise of strings, booleans and numbers; the table scrolls sideways inside its own box.
 * - An error answer is shown as its message, place and hint (renderError), never as a line of JSON.
 * Nothing is kept in localStorage: each visit shows the catalogue as the server has it.
 */
(function () {
  "use strict";
  var configEl = document.getElementById("ecograph-ui-config");
  var root = document.getElementById("yasgui");
  if (!configEl || !root || !window.Yasgui) {
    return;
  }
  var config = JSON.parse(configEl.textContent);
  var labels = config.labels;
  var Yasgui = window.Yasgui.default || window.Yasgui.Yasgui || window.Yasgui;
  var Yasqe = window.Yasqe || Yasgui.Yasqe;
  var Yasr = window.Yasr || Yasgui.Yasr;
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var BASE = "https://w3id.org/ecograph/";
  var serverRoot = config.endpoint.replace(/\/sparql$/, "");

  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  // ------------------------------------------------------------------ keyboard

  Yasqe.defaults.extraKeys = Object.assign({}, Yasqe.defaults.extraKeys, { Tab: false, "Shift-Tab": false });
  Yasqe.defaults.autofocus = false;
  // With a list of suggestions open, Tab closes it and moves on too (Enter picks a suggestion, Escape closes the list):
  // suggestions that open as one types must not hold the focus either.
  Yasqe.defaults.hintConfig = Object.assign({}, Yasqe.defaults.hintConfig, {
    extraKeys: {
      Tab: function (cm, handle) {
        handle.close();
        return Yasqe.Pass;
      },
      "Shift-Tab": function (cm, handle) {
        handle.close();
        return Yasqe.Pass;
      }
    }
  });
  // The editable element inside the scrolling one (a textarea beside it would leave a long query's scrolling
  // region without anything a keyboard can reach); also what CodeMirror advises for screen readers.
  Yasqe.defaults.inputStyle = "contenteditable";
  Yasgui.defaults.autofocus = false;

  // ------------------------------------------------------------------ autocompletion, from this server only

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
      return Promise.resolve(bundled.get(yasqe)).then(function (list) {
        return projectPrefixes.concat(list.filter(function (line) {
          return !Object.prototype.hasOwnProperty.call(config.prefixes, line.split(":")[0]);
        }));
      }, function () {
        return projectPrefixes;
      });
    }
  }, false);

  var terms = null;
  function loadTerms() {
    if (!terms) {
      terms = window.fetch(config.terms, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { terms: [] }; })
        .then(function (body) { return body.terms || []; }, function () { return []; });
    }
    return terms;
  }
  function isVariable(token) {
    return token.string[0] === "?" || token.string[0] === "$";
  }
  // One completer of the ontology's terms of one kind: the typed text (a CURIE or an <IRI> begun) against the
  // terms' CURIEs and IRIs; each suggestion shows the term's label in the page's language.
  function termCompleter(name, kind, isValidPosition) {
    var byText = {};
    return {
      name: name,
      bulk: false,
      autoShow: true,
      persistenceId: null,
      isValidCompletionPosition: isValidPosition,
      preProcessToken: function (yasqe, token) {
        token.autocompletionString = token.string.trim();
        return token;
      },
      get: function (yasqe, token) {
        var typed = token && token.autocompletionString ? token.autocompletionString : "";
        var lower = typed.toLowerCase();
        var asIri = typed.charAt(0) === "<";
        return loadTerms().then(function (list) {
          return list.filter(function (t) {  // a term typed out in full is not suggested again
            return t.kind.slice(-kind.length) === kind && t.curie !== typed && "<" + t.iri + ">" !== typed
              && (asIri ? ("<" + t.iri).indexOf(typed) === 0 : t.curie.toLowerCase().indexOf(lower) === 0);
          }).map(function (t) {
            var text = asIri ? "<" + t.iri + ">" : t.curie;
            byText[text] = t;
            return text;
          });
        });
      },
      postProcessSuggestion: function (yasqe, token, suggestion) {
        return suggestion;
      },
      postprocessHints: function (yasqe, hints) {
        return hints.map(function (hint) {
          var term = byText[hint.text];
          var label = term && (term.label[config.lang] || term.label.en || term.label.ja);
          hint.displayText = hint.text + (label ? "  " + label : "") + "  (" + labels[kind] + ")";
          return hint;
        });
      }
    };
  }
  Yasqe.registerAutocompleter(termCompleter("ecograph-classes", "class", function (yasqe) {
    var token = yasqe.getCompleteToken();
    if (isVariable(token)) {
      return false;
    }
    var previous = yasqe.getPreviousNonWsToken(yasqe.getDoc().getCursor().line, token);
    return ["a", "rdf:type", "rdfs:domain", "rdfs:range", "rdfs:subClassOf"].indexOf(previous.state.lastProperty) >= 0;
  }), false);
  Yasqe.registerAutocompleter(termCompleter("ecograph-properties", "property", function (yasqe) {
    var token = yasqe.getCompleteToken();
    return token.string.length > 0 && !isVariable(token) && token.state.possibleCurrent.indexOf("a") >= 0;
  }), false);
  var completers = ["variables", "ecograph-prefixes", "ecograph-classes", "ecograph-properties"];
  Yasqe.defaults.autocompleters = completers;
  Yasqe.defaults.prefixCcApi = null;
  Yasgui.defaults.endpointCatalogueOptions.getData = function () {
    return [{ endpoint: endpoint }];
  };

  // ------------------------------------------------------------------ results: compact terms

  var PLAIN_TYPES = ["string", "boolean", "integer", "decimal", "double", "float", "long", "int", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte"].map(function (t) { return XSD + t; });
  var NUMERIC_TYPES = PLAIN_TYPES.slice(2);
  function curie(iri) {
    var best = null;
    Object.keys(config.prefixes).forEach(function (p) {  // the longest namespace wins (program: before id:)
      var ns = config.prefixes[p];
      var rest = iri.slice(ns.length);
      if (iri.indexOf(ns) === 0 && rest.length && /^[^\s/#?]+$/.test(rest) && (!best || ns.length > best.ns.length)) {
        best = { ns: ns, text: p + ":" + rest };
      }
    });
    return best ? best.text : null;
  }
  function hrefOf(iri) {
    if (iri.indexOf(BASE) === 0) {
      return serverRoot + "/" + iri.slice(BASE.length);
    }
    return /^https?:\/\//i.test(iri) ? iri : null;  // a javascript: IRI is valid RDF and never a link
  }
  var Table = Yasr.plugins.table;
  if (labels.table) {  // DataTables' words (the line under the table, what a screen reader reads) in the page's language
    var tableConfig = Table.defaults.tableConfig;
    tableConfig.language = Object.assign({}, tableConfig.language, labels.table);
  }
  Table.prototype.getUriLinkFromBinding = function (binding) {
    var short = curie(binding.value);
    var href = hrefOf(binding.value);
    var text = escapeHtml(short || binding.value);
    var shown = href ? "<a class='iri' target='_blank' rel='noopener noreferrer' href='" + escapeHtml(href) + "'>" + text + "</a>" : text;
    return short ? shown : "&lt;" + shown + "&gt;";
  };
  Table.prototype.formatLiteral = function (binding) {
    var text = escapeHtml(binding.value);
    if (binding["xml:lang"]) {
      return text + "&nbsp;<span class='literal-tag'>@" + escapeHtml(binding["xml:lang"]) + "</span>";
    }
    if (!binding.datatype || PLAIN_TYPES.indexOf(binding.datatype) >= 0) {
      return NUMERIC_TYPES.indexOf(binding.datatype) >= 0 ? "<span class='literal-number'>" + text + "</span>" : text;
    }
    return text + "&nbsp;<span class='literal-tag'>" + escapeHtml(curie(binding.datatype) || binding.datatype) + "</span>";
  };
  var draw = Table.prototype.draw;
  Table.prototype.draw = function (settings) {  // whole cells by default: an ellipsis at 14 columns hides too much
    return draw.call(this, Object.assign({ isEllipsed: false }, settings));
  };

  // ------------------------------------------------------------------ errors as text

  // An error answer ({"error", "hint", "line", "column"}: ecograph's one error shape) as text a person reads,
  // wrapped to the width of the page; the place in the query is a link that puts the editor's cursor there.
  // Anything else (a proxy's HTML page) is shown as wrapped text.
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

  // ------------------------------------------------------------------ the editor

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    persistenceId: null,
    populateFromUrl: false,  // ?query= is read by the server (ui.py), which writes it into the configuration
    autoAddOnInit: false,
    autofocus: false,
    copyEndpointOnNewTab: true,
    tabName: labels.query,
    yasqe: { value: config.initialQuery },
    yasr: { prefixes: config.prefixes }
  });
  yasgui.addTab(true, {
    id: "query",
    name: labels.query,
    yasqe: { value: config.initialQuery },
    requestConfig: { endpoint: endpoint }
  });

  // ------------------------------------------------------------------ the menu of named queries

  var select = document.getElementById("named-query");
  var about = document.getElementById("named-about");
  var byName = {};
  config.queries.forEach(function (q) {
    byName[q.name] = q;
  });
  var ownText = config.named ? null : config.initialQuery;  // the user's own query, back when "(your own query)" is chosen
  var shown = config.named;
  function showAbout(query) {
    if (!about) {
      return;
    }
    about.hidden = !query;
    if (!query) {
      return;
    }
    about.querySelector(".about-title").textContent = query.title;
    about.querySelector(".about-description").textContent = query.description;
    about.querySelector(".about-note").textContent = query.note;
    about.querySelector(".about-note").hidden = !query.note;
    about.querySelector(".about-link").href = query.url;
    about.querySelector(".about-listing").href = serverRoot + "/queries#" + query.name;
  }
  function remember(name) {
    var url = new URL(window.location.href);
    url.searchParams.delete("query");
    if (name) {
      url.searchParams.set("named", name);
    } else {
      url.searchParams.delete("named");
    }
    url.hash = "";
    window.history.replaceState(null, "", url.href);
  }
  function openQuery(name) {
    var yasqe = yasgui.getTab().getYasqe();
    if (!shown) {
      ownText = yasqe.getValue();
    }
    var query = byName[name];
    if (query) {
      yasqe.setValue(query.text);
    } else if (ownText !== null) {
      yasqe.setValue(ownText);
    }
    shown = query ? name : "";
    showAbout(query);
    remember(shown);
  }
  if (select) {
    var form = select.form;
    var button = form.querySelector(".menu-open");
    if (button) {
      button.hidden = true;  // the menu opens a query as it changes; the button is for pages without scripts
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      openQuery(select.value);
    });
    select.addEventListener("change", function () {
      openQuery(select.value);
    });
    // #tab=NAME (the links of earlier versions) opens that named query
    var wanted = /(?:^#|&)tab=([a-z0-9-]+)/.exec(window.location.hash);
    if (wanted && byName[wanted[1]]) {
      select.value = wanted[1];
      openQuery(wanted[1]);
    }
  }

  // ------------------------------------------------------------------ mending YASGUI's markup

  function label(el, text) {
    if (el && el.getAttribute("aria-label") !== text) {
      el.setAttribute("aria-label", text);
    }
  }
  function mend() {
    var tab = yasgui.getTab();
    var yasqe = tab && tab.getYasqe();
    if (yasqe) {
      var input = yasqe.getInputField();
      [["role", "textbox"], ["aria-multiline", "true"], ["aria-label", labels.editor], ["aria-describedby", "editor-keys"]]
        .forEach(function (pair) {
          if (input.getAttribute(pair[0]) !== pair[1]) {
            input.setAttribute(pair[0], pair[1]);
          }
        });
    }
    label(root.querySelector(".controlbar input"), labels.endpoint);
    label(root.querySelector(".yasqe_queryButton"), labels.run);
    label(root.querySelector(".yasqe_share"), labels.share);
    label(root.querySelector(".tabContextButton"), labels.settings);
    label(root.querySelector(".clearEndpointBtn"), labels.clear);
    label(root.querySelector(".tableFilter"), labels.filter);
    label(root.querySelector(".tableSizer"), labels.pageSize);
    // column names break after an underscore rather than anywhere (applications_ / vicle)
    Array.prototype.forEach.call(root.querySelectorAll(".yasr_results thead .dt-column-title"), function (title) {
      if (title.textContent.indexOf("_") >= 0 && !title.querySelector("wbr")) {
        var parts = title.textContent.split("_");
        title.textContent = "";
        parts.forEach(function (part, i) {
          title.appendChild(document.createTextNode(part + (i < parts.length - 1 ? "_" : "")));
          if (i < parts.length - 1) {
            title.appendChild(document.createElement("wbr"));
          }
        });
      }
    });
    var panel = root.querySelector(".tabPanel[role=tabpanel]");
    if (panel) {  // no tab bar, so no tab panel: its tab is hidden
      panel.removeAttribute("role");
      panel.removeAttribute("aria-labelledby");
    }
  }

  // YASGUI's own words in the page's language (labels.words: its English text -> the page's; labels.info: the
  // words of "12 results in 0.034 seconds"; none in English). Only its controls are looked at: never a result
  // cell, a column name, the raw response or an error.
  var words = labels.words || {};
  function translated(text) {
    var trimmed = text.trim();
    if (!trimmed) {
      return null;
    }
    if (Object.prototype.hasOwnProperty.call(words, trimmed)) {
      return text.replace(trimmed, words[trimmed]);
    }
    var info = labels.info && /^(?:(\d+) results?)?(?: ?(?:in|Response in) ([\d.]+) seconds?)?$/.exec(trimmed);
    if (info && (info[1] || info[2])) {  // "12 results in 0.034 seconds", "Response in 0.2 seconds"
      return [info[1] ? info[1] + " " + labels.info.results : "", info[2] ? info[2] + " " + labels.info.seconds : ""]
        .filter(Boolean).join("・");
    }
    return null;
  }
  function translate() {
    if (!labels.info) {
      return;
    }
    Array.prototype.forEach.call(root.querySelectorAll(".yasr"), function (yasr) {
      var walker = document.createTreeWalker(yasr, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
          var parent = node.parentElement;
          return parent && parent.closest("td, th, pre, .CodeMirror, .ecograph-error")
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
      });
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        var text = translated(node.nodeValue);
        if (text !== null && text !== node.nodeValue) {
          node.nodeValue = text;
        }
      }
      Array.prototype.forEach.call(yasr.querySelectorAll("[title], [placeholder], [aria-label]"), function (el) {
        if (el.closest("td, pre, .CodeMirror, .ecograph-error")) {
          return;
        }
        ["title", "placeholder", "aria-label"].forEach(function (name) {
          var value = el.getAttribute(name);
          var text = value && translated(value);
          if (text && text !== value) {
            el.setAttribute(name, text);
          }
        });
      });
    });
  }

  var pending = false;
  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        mend();
        translate();
      });
    }
  }).observe(root, { childList: true, subtree: true });
  mend();
  translate();

  window.ecographYasgui = yasgui;
  root.setAttribute("data-ready", "true");
})();
