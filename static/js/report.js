/* Indicators page (templates/crm/reporting/dashboard.html), on top of a page that works without it:
   - the period fields follow the chosen kind of period (the server already shows the right ones on load);
   - each table marked `data-sortable` gets a sort button in its column headers (aria-sort says the order).
   No inline script: the Content-Security-Policy forbids them. */
(function () {
  "use strict";

  function followPeriod(select) {
    var fields = select.form.querySelectorAll("[data-periods]");
    function update() {
      fields.forEach(function (field) {
        field.hidden = field.getAttribute("data-periods").split(" ").indexOf(select.value) === -1;
      });
    }
    select.addEventListener("change", update);
  }

  function sortValue(cell) {
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    var number = raw === "" ? NaN : Number(raw);
    return { empty: raw === "", number: number, text: raw };
  }

  function compare(a, b) {
    if (a.empty || b.empty) { return a.empty === b.empty ? 0 : (a.empty ? 1 : -1); }  // blanks stay last
    if (!isNaN(a.number) && !isNaN(b.number)) { return a.number - b.number; }
    return a.text.localeCompare(b.text, "fr", { numeric: true, sensitivity: "base" });
  }

  function sortBy(table, headers, index) {
    var header = headers[index];
    var order = header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var result = compare(sortValue(r1.cells[index]), sortValue(r2.cells[index]));
      return order === "ascending" ? result : -result;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    headers.forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", order);
  }

  function makeSortable(table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      var hint = document.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = " (trier)";
      button.appendChild(hint);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, headers, index); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var period = document.querySelector(".report-filters select[name=periode]");
    if (period) { followPeriod(period); }
    document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
  });
})();
