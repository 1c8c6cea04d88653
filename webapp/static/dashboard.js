// Draws the supervisor's SLA charts from the JSON the page carries (no inline script: CSP).
(function () {
  const source = document.getElementById("sla-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const common = { responsive: true, maintainAspectRatio: false, animation: false };
  new Chart(document.getElementById("chart-on-time"), {
    type: "line",
    data: { labels: data.months, datasets: [{ label: data.labels.on_time, data: data.on_time, borderColor: "#1b7f3b",
      backgroundColor: "rgba(27,127,59,.15)", fill: true, tension: 0.2 }] },
    options: { ...common, scales: { y: { min: 0, max: 100 } } },
  });
  new Chart(document.getElementById("chart-duration"), {
    type: "bar",
    data: { labels: data.months, datasets: [
      { label: data.labels.median, data: data.median, backgroundColor: "#0b5c8a" },
      { label: data.labels.p90, data: data.p90, backgroundColor: "#e0a43a" },
    ] },
    options: { ...common, scales: { y: { beginAtZero: true, title: { display: true, text: data.labels.days } } } },
  });
  document.body.dataset.chartsReady = "1";
})();
