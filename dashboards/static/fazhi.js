// fazhi.js draws every chart of a page. The server renders each chart's
// echarts option as JSON in <script type="application/json" data-chart>,
// escaped by the server; this file is the only script a page runs, so
// pages need no inline script (and a strict Content-Security-Policy holds).
(function () {
  "use strict";

  // zh-CN number formatting: 1,234 and 95.0%.
  function fmt(v, unit) {
    if (v === null || v === undefined || v === "-" || isNaN(v)) return "—";
    if (unit === "%") return Number(v).toFixed(1) + "%";
    var digits = Math.abs(v) < 100 && v % 1 !== 0 ? 2 : 0;
    var s = Number(v).toLocaleString("zh-CN", { maximumFractionDigits: digits });
    return unit ? s + " " + unit : s;
  }

  function draw(holder) {
    var spec;
    try {
      spec = JSON.parse(holder.textContent);
    } catch (e) {
      console.error("fazhi: chart options are not JSON", e);
      return;
    }
    var el = document.getElementById(holder.getAttribute("data-chart"));
    if (!el || !window.echarts) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var option = spec.option || {};
    option.tooltip = option.tooltip || {};
    option.tooltip.valueFormatter = function (v) { return fmt(v, spec.unit); };
    if (option.yAxis && !Array.isArray(option.yAxis)) {
      option.yAxis.axisLabel = option.yAxis.axisLabel || {};
      option.yAxis.axisLabel.formatter = function (v) { return fmt(v, spec.unit === "%" ? "%" : ""); };
    }
    chart.setOption(option);
    el.setAttribute("data-rendered", "1");
    // A click on a point opens the figures behind it and their sources.
    if (spec.click) {
      chart.on("click", function (p) {
        var c = spec.click;
        var key = c.by === "category" ? p.name : p.seriesName;
        var other = c.by === "category" ? p.seriesName : p.name;
        var code = c.codes && c.codes[key];
        if (!code) return;
        var url = c.base + (c.base.indexOf("?") < 0 ? "?" : "&") +
          encodeURIComponent(c.param) + "=" + encodeURIComponent(code);
        if (c.otherParam) url += "&" + encodeURIComponent(c.otherParam) + "=" + encodeURIComponent(other);
        window.location.href = url;
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
  }

  function init() {
    var holders = document.querySelectorAll('script[type="application/json"][data-chart]');
    for (var i = 0; i < holders.length; i++) draw(holders[i]);
    // A "select all" checkbox ticks every checkbox of the name it names.
    var alls = document.querySelectorAll("input[data-check-all]");
    for (var k = 0; k < alls.length; k++) {
      alls[k].addEventListener("change", function (e) {
        var boxes = document.querySelectorAll('input[type="checkbox"][name="' + e.target.getAttribute("data-check-all") + '"]');
        for (var m = 0; m < boxes.length; m++) boxes[m].checked = e.target.checked;
      });
    }
    // Selects marked data-autosubmit change the view without a button.
    var selects = document.querySelectorAll("select[data-autosubmit]");
    for (var j = 0; j < selects.length; j++) {
      selects[j].addEventListener("change", function (e) { e.target.form.submit(); });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
