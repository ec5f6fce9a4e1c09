/* Maillage: small progressive enhancements. Everything works without JavaScript. */
(function () {
  "use strict";

  var ENDPOINTS = {
    communes: "/referentiels/communes",
    epci: "/referentiels/epci",
    appellations: "/referentiels/appellations",
    rome: "/referentiels/rome",
    naf: "/referentiels/naf",
    companies: "/entreprises/autocompletion",
    partners: "/partenaires/autocompletion",
    zones: "/referentiels/zones"
  };
  var counter = 0;

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .catch(function () { return { results: [] }; });
  }

  /* Accessible combobox (WAI-ARIA 1.2 pattern): a visible text box searches, a hidden input keeps the code. */
  function setupAutocomplete(hidden) {
    var base = hidden.dataset.autocompleteUrl || ENDPOINTS[hidden.dataset.autocomplete];
    if (!base) { return; }
    var extra = hidden.dataset.autocompleteParams ? "&" + hidden.dataset.autocompleteParams : "";
    var labelText = hidden.labels && hidden.labels.length ? hidden.labels[0].textContent.replace("*", "").trim() : "";
    counter += 1;
    /* Several places in one box ("Thiers (63300), CC Thiers Dore et Montagne, "): the box itself is the
       field, and the suggestions complete the part after the last comma. */
    var multiple = hidden.hasAttribute("data-autocomplete-multiple");
    var visible = multiple ? hidden : document.createElement("input");
    if (!multiple) {
      visible.type = "text";
      visible.id = hidden.id;
      visible.className = hidden.className;
      ["aria-describedby", "aria-invalid", "required"].forEach(function (a) {
        if (hidden.hasAttribute(a)) { visible.setAttribute(a, hidden.getAttribute(a)); }
      });
    }
    visible.setAttribute("autocomplete", "off");
    visible.setAttribute("role", "combobox");
    visible.setAttribute("aria-autocomplete", "list");
    visible.setAttribute("aria-expanded", "false");
    var listId = "autocomplete-list-" + counter;
    visible.setAttribute("aria-controls", listId);
    if (!multiple) {
      hidden.id = hidden.id + "-value";
      hidden.type = "hidden";
      hidden.removeAttribute("required");
    }
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    if (labelText) { list.setAttribute("aria-label", labelText); }
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    if (!multiple) { hidden.parentNode.insertBefore(visible, hidden); }
    hidden.parentNode.insertBefore(list, hidden.nextSibling);
    hidden.parentNode.insertBefore(status, list.nextSibling);

    var results = [];
    var active = -1;
    var timer = null;

    function cut(text) { return Math.max(text.lastIndexOf(","), text.lastIndexOf(";")); }
    function head(text) { return cut(text) < 0 ? "" : text.slice(0, cut(text) + 1) + " "; }
    function term(text) { return multiple ? text.slice(cut(text) + 1).trim() : text.trim(); }

    if (hidden.value && !multiple) {
      visible.value = hidden.value;
      fetchJson(base + "?code=" + encodeURIComponent(hidden.value)).then(function (data) {
        if (data.results && data.results.length) { visible.value = data.results[0].label; }
      });
    }

    function close() {
      list.hidden = true;
      visible.setAttribute("aria-expanded", "false");
      visible.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function render() {
      list.innerHTML = "";
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        var main = document.createElement("span");
        main.textContent = item.label;
        li.appendChild(main);
        if (item.hint) {
          var hint = document.createElement("span");
          hint.className = "autocomplete-hint";
          hint.textContent = item.hint;
          li.appendChild(hint);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      visible.setAttribute("aria-expanded", results.length ? "true" : "false");
      if (active >= 0) {
        visible.setAttribute("aria-activedescendant", listId + "-" + active);
        var option = document.getElementById(listId + "-" + active);
        if (option && option.scrollIntoView) { option.scrollIntoView({ block: "nearest" }); }
      } else {
        visible.removeAttribute("aria-activedescendant");
      }
      status.textContent = results.length ? results.length + " suggestion(s) : flèches haut et bas pour choisir." : "Aucune suggestion.";
    }

    function choose(i) {
      var item = results[i];
      if (!item) { return; }
      if (multiple) {
        visible.value = head(visible.value) + item.label + ", ";
      } else {
        hidden.value = item.value;
        visible.value = item.label;
      }
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    }

    visible.addEventListener("input", function () {
      hidden.value = visible.value; /* kept as typed; the server says "choisissez dans la liste" if unknown */
      clearTimeout(timer);
      var q = term(visible.value);
      if (q.length < 2) { results = []; close(); return; }
      timer = setTimeout(function () {
        fetchJson(base + "?q=" + encodeURIComponent(q) + extra).then(function (data) {
          results = data.results || [];
          active = -1;
          render();
        });
      }, 150);
    });
    visible.addEventListener("keydown", function (e) {
      if (list.hidden) {
        /* Alt+Down or Down reopens the last suggestions without retyping */
        if (e.key === "ArrowDown" && results.length) { active = 0; render(); e.preventDefault(); }
        return;
      }
      if (e.key === "ArrowDown") { active = Math.min(active + 1, results.length - 1); render(); e.preventDefault(); }
      else if (e.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); e.preventDefault(); }
      else if (e.key === "Home" && e.ctrlKey) { active = 0; render(); e.preventDefault(); }
      else if (e.key === "End" && e.ctrlKey) { active = results.length - 1; render(); e.preventDefault(); }
      else if (e.key === "Enter" && active >= 0) { choose(active); e.preventDefault(); }
      else if (e.key === "Escape") { close(); e.preventDefault(); }
      else if (e.key === "Tab" && active >= 0) { choose(active); }
    });
    visible.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function setupConfirm(form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.dataset.confirm)) { e.preventDefault(); }
    });
  }

  /* On a phone the main menu folds behind its "Menu" button (CSS shows the button below 40rem only). */
  function setupMenu(nav) {
    var toggle = nav.querySelector(".nav-toggle");
    if (!toggle) { return; }
    nav.classList.add("collapsible");
    function show(open) {
      nav.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.addEventListener("click", function () { show(!nav.classList.contains("open")); });
    nav.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && nav.classList.contains("open")) { show(false); toggle.focus(); }
    });
  }

  /* Tables become stacked cards on a phone (app.css): each cell shows its column's name, taken from the
     header row unless the template gave one (data-label). */
  function labelCells(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) { return; }
    var names = [];
    Array.prototype.forEach.call(head.cells, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i += 1) { names.push(th.textContent.replace(/\s+/g, " ").trim()); }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && cell.colSpan === 1 && names[column]) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  /* A table wider than its box scrolls inside it: the box must then be reachable with the keyboard. */
  function focusableScroll(wrapper) {
    if (wrapper.scrollWidth > wrapper.clientWidth + 1 && !wrapper.hasAttribute("tabindex")) {
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      var caption = wrapper.querySelector("caption");
      wrapper.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tableau");
    }
  }

  /* Prospection board: drag a card onto another column to move it. The drop submits the card's own
     « Déplacer » form with that stage (the same POST as from the keyboard, then the page comes back). */
  function setupBoard(board) {
    var dragged = null;
    function column(e) { return e.target.closest ? e.target.closest(".board-column") : null; }
    function clear() {
      board.querySelectorAll(".drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
    }
    board.addEventListener("dragstart", function (e) {
      dragged = e.target.closest ? e.target.closest(".board-card") : null;
      if (!dragged) { return; }
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", dragged.id);
      dragged.classList.add("dragging");
    });
    board.addEventListener("dragend", function () {
      if (dragged) { dragged.classList.remove("dragging"); }
      dragged = null;
      clear();
    });
    board.addEventListener("dragover", function (e) {
      var target = column(e);
      if (!dragged || !target || target.contains(dragged)) { return; }
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      if (!target.classList.contains("drop-target")) { clear(); target.classList.add("drop-target"); }
    });
    board.addEventListener("drop", function (e) {
      var target = column(e);
      if (!dragged || !target) { return; }
      e.preventDefault();
      var button = dragged.querySelector('button[name="stage"][value="' + target.dataset.stage + '"]');
      clear();
      if (button) { button.form.requestSubmit(button); }
    });
  }

  function init(root) {
    root.querySelectorAll(".main-nav").forEach(setupMenu);
    root.querySelectorAll("[data-board]").forEach(setupBoard);
    root.querySelectorAll("table.table").forEach(labelCells);
    root.querySelectorAll(".table-wrapper").forEach(focusableScroll);
    root.querySelectorAll("input[data-autocomplete]").forEach(setupAutocomplete);
    root.querySelectorAll("form[data-confirm]").forEach(setupConfirm);
    var summary = root.querySelector(".error-summary[tabindex]");
    if (summary && root === document) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
})();
