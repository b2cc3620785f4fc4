/* Optional charts of a published annual report (the tables above are the authoritative content). */
(function () {
  "use strict";
  var el = document.getElementById("gk-chart-data");
  if (!el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(el.textContent);
  function bar(id, title, labels, values) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      title: { text: title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: labels, inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
      series: [{ type: "bar", data: values, itemStyle: { color: "#a31515" }, label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  bar("gk-chart-results", data.results.title, data.results.labels, data.results.values);
  bar("gk-chart-applicants", data.applicants.title, data.applicants.labels, data.applicants.values);
})();
