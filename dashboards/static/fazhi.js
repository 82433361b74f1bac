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

  // The category labels of an axis option (go-echarts writes axes as lists).
  function axisData(axis) {
    if (Array.isArray(axis)) axis = axis[0];
    return (axis && axis.data) || [];
  }

  // Tooltips built here put names into HTML: escape them.
  function esc(s) {
    return String(s === undefined || s === null ? "" : s).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
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
    // A chart's own height comes as data-height: set here, it needs no
    // style attribute, which the Content-Security-Policy would have to allow.
    var h = parseInt(el.getAttribute("data-height"), 10);
    if (h > 0) el.style.height = h + "px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var option = spec.option || {};
    option.tooltip = option.tooltip || {};
    option.tooltip.valueFormatter = function (v) { return fmt(v, spec.unit); };
    if (spec.kind === "heatmap") {
      // A cell: the bureau, the indicator, its value and its score.
      option.tooltip.formatter = function (p) {
        var x = axisData(option.xAxis)[p.value[0]], y = axisData(option.yAxis)[p.value[1]];
        return esc(y) + "<br>" + esc(x) + "：" + esc(p.name) + "<br>得分 " + fmt(p.value[2], "") + " 分";
      };
    } else if (spec.kind === "range") {
      // Sensitivity: the rank as saved and the range under ±20% weights.
      option.tooltip.formatter = function (ps) {
        var name = ps[0].name, best = null, span = null, rank = null;
        for (var i = 0; i < ps.length; i++) {
          if (ps[i].seriesName === "起点") best = ps[i].value + 0.3;
          else if (ps[i].seriesType === "bar") span = ps[i].value - 0.6;
          else rank = Array.isArray(ps[i].value) ? ps[i].value[0] : ps[i].value;
        }
        var s = esc(name);
        if (rank !== null) s += "<br>现名次：第 " + rank + " 名";
        if (best !== null && span !== null) s += "<br>权重 ±20% 时：第 " + Math.round(best) + "–" + Math.round(best + span) + " 名";
        return s;
      };
    }
    if (option.yAxis && !Array.isArray(option.yAxis)) {
      option.yAxis.axisLabel = option.yAxis.axisLabel || {};
      option.yAxis.axisLabel.formatter = function (v) { return fmt(v, spec.unit === "%" ? "%" : ""); };
    }
    // Readers who ask their system for less motion get the final chart at
    // once, as print does.
    if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      option.animation = false;
    }
    chart.setOption(option);
    el.setAttribute("data-rendered", "1");
    // A click on a point opens the figures behind it and their sources.
    if (spec.click) {
      chart.on("click", function (p) {
        var c = spec.click;
        var key, other;
        if (c.by === "cell") {
          key = axisData(option.yAxis)[p.value[1]];
          other = axisData(option.xAxis)[p.value[0]];
        } else if (c.by === "category") {
          key = p.name; other = p.seriesName;
        } else {
          key = p.seriesName; other = p.name;
        }
        var url = c.base;
        if (c.param) {
          var code = c.codes && c.codes[key];
          if (!code) return;
          url += (url.indexOf("?") < 0 ? "?" : "&") + encodeURIComponent(c.param) + "=" + encodeURIComponent(code);
        }
        if (c.otherParam) {
          if (c.otherCodes) other = c.otherCodes[other];
          if (!other) return;
          url += "&" + encodeURIComponent(c.otherParam) + "=" + encodeURIComponent(other);
        }
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
    // Forms marked data-confirm (a rollback) ask before they submit.
    var confirms = document.querySelectorAll("form[data-confirm]");
    for (var k = 0; k < confirms.length; k++) {
      confirms[k].addEventListener("submit", function (e) {
        if (!window.confirm(e.currentTarget.getAttribute("data-confirm"))) e.preventDefault();
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
