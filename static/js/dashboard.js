// Charts of the dashboard and the commune page. The figures come from json_script elements
// (the content security policy allows no inline script); every chart's numbers are also in
// a table on the page, so nothing is lost without this file.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;

  var COLOURS = { coverage: "#0d6efd", bluzone: "#198754", target: "#dc3545" };
  // Drawn at once: an animation costs a low-end phone more than it tells anyone.
  window.Chart.defaults.animation = false;

  function readData(canvas) {
    var source = document.getElementById(canvas.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  function percentAxis() {
    return { min: 0, max: 100, ticks: { callback: function (value) { return value + " %"; } } };
  }

  function seriesChart(canvas, data) {
    return new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.names.coverage, data: data.coverage, borderColor: COLOURS.coverage,
            backgroundColor: COLOURS.coverage, tension: 0.2, spanGaps: true },
          { label: data.names.bluzone, data: data.bluzone, borderColor: COLOURS.bluzone,
            backgroundColor: COLOURS.bluzone, tension: 0.2, spanGaps: true },
          { label: data.names.target, data: data.target, borderColor: COLOURS.target,
            backgroundColor: COLOURS.target, borderDash: [6, 4], pointRadius: 0 }
        ]
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: percentAxis(), x: { ticks: { maxRotation: 0, autoSkip: true } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function barsChart(canvas, data) {
    // One bar per commune, laid out horizontally so names stay readable on a phone.
    canvas.parentElement.style.height = Math.max(200, 60 + data.labels.length * 36) + "px";
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.names.coverage, data: data.coverage, backgroundColor: COLOURS.coverage },
          { label: data.names.bluzone, data: data.bluzone, backgroundColor: COLOURS.bluzone }
        ]
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        scales: { x: percentAxis() },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function bandsChart(canvas, data) {
    // Past one page of communes: how many fall in each coverage band, one bar per band.
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.names.communes, data: data.communes, backgroundColor: COLOURS.coverage }
        ]
      },
      options: {
        maintainAspectRatio: false,
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 } },
          x: { ticks: { autoSkip: false, maxRotation: 90, minRotation: 0 } }
        },
        plugins: { legend: { display: false } }
      }
    });
  }

  var builders = { series: seriesChart, bars: barsChart, bands: bandsChart };
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var data = readData(canvas);
    var build = builders[canvas.dataset.chart];
    if (data && build) build(canvas, data);
  });
})();
