/* Indicator charts: each <canvas data-chart="ID"> is drawn from the JSON block <script id="ID">
   ({labels, series, values}); the same data is in the table beside it, which screen readers read.
   No inline script or style: the Content-Security-Policy forbids them. */
(function () {
  "use strict";
  var COLOURS = ["#1f4e8c", "#c25e00", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e63"];

  function draw(canvas) {
    var block = document.getElementById(canvas.getAttribute("data-chart"));
    if (!block || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(block.textContent);
    var datasets = data.series.map(function (name, i) {
      return {
        label: name,
        data: data.values.map(function (row) { return row[i + 1]; }),
        backgroundColor: COLOURS[i % COLOURS.length]
      };
    });
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "fr-FR",
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
