// The public statistics' charts, from the JSON the page carries (no inline script: CSP).
(function () {
  const source = document.getElementById("stats-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const common = { responsive: true, maintainAspectRatio: false, animation: false };
  new Chart(document.getElementById("chart-issued"), {
    type: "bar",
    data: { labels: data.months, datasets: [{ label: data.labels.issued, data: data.issued, backgroundColor: "#0b5c8a" }] },
    options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  new Chart(document.getElementById("chart-on-time"), {
    type: "line",
    data: { labels: data.months, datasets: [{ label: data.labels.on_time, data: data.on_time, borderColor: "#1b7f3b",
      backgroundColor: "rgba(27,127,59,.15)", fill: true, tension: 0.2, spanGaps: true }] },
    options: { ...common, scales: { y: { min: 0, max: 100 } } },
  });
  document.body.dataset.chartsReady = "1";
})();
