/*
 * The import monitor's charts (/monitor, gateway/pages_monitor.c).
 * The page works without this file: every view is a table.  Here each
 * table becomes a Chart.js chart drawn from the table's own figures
 * (the data-t, data-usd and data-unit attributes of its cells), so the
 * chart and the table can never disagree; the table stays one click
 * away ("Table of the figures").  The measure switch (metric tons, US
 * dollars, US$ per metric ton) redraws the charts and rewrites the
 * tables in place; the other filters reload the page.
 * Loaded from a file after chart.umd.js (the CSP allows no inline
 * script); no handler attributes.
 */
(function () {
	"use strict";

	var form = document.getElementById("monitor-filters");

	/* Only the chosen product's groups can be picked. */
	function productGroups() {
		var sel = document.getElementById("f-product_group");
		var checked = form && form.querySelector(
		    "input[name=product]:checked");
		var i, groups;

		if (!sel || !checked) {
			return;
		}
		groups = sel.querySelectorAll("optgroup[data-product]");
		for (i = 0; i < groups.length; i++) {
			groups[i].disabled =
			    groups[i].getAttribute("data-product") !==
			    checked.value;
		}
		if (sel.selectedOptions.length > 0 &&
		    sel.selectedOptions[0].parentNode.disabled) {
			sel.value = "";
		}
	}

	if (form) {
		form.addEventListener("change", function (e) {
			if (e.target.name === "product") {
				productGroups();
			}
		});
		productGroups();
	}

	if (typeof window.Chart !== "function") {
		return;		/* no Chart.js: the tables are the page */
	}
	var Chart = window.Chart;

	/* At least 3:1 against white (WCAG 1.4.11) and told apart by the
	 * point shape and dash too, never by color alone. */
	var COLORS = ["#005ea2", "#c05600", "#008817", "#8168b3",
	    "#1a4480", "#b50909", "#936f38", "#565c65", "#0d7ea2",
	    "#4d8055"];
	var POINTS = ["circle", "triangle", "rect", "rectRot", "star",
	    "crossRot", "rectRounded", "cross"];
	var DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3]];
	var UNITS = {
		tons: "metric tons",
		usd: "US dollars",
		unit: "US dollars per metric ton"
	};
	var ATTR = { tons: "data-t", usd: "data-usd", unit: "data-unit" };
	var charts = [];
	var measure = "tons";

	var checkedMeasure = form && form.querySelector(
	    "input[name=measure]:checked");
	if (checkedMeasure && UNITS[checkedMeasure.value]) {
		measure = checkedMeasure.value;
	}

	/* As the server writes them (pages_monitor.c fmt_tons etc.). */
	function fmt(v, m) {
		var d;

		if (v === null || v === undefined || isNaN(v)) {
			return "–";
		}
		if (m === "tons") {
			d = v !== 0 && Math.abs(v) < 10 ? 1 : 0;
			return v.toLocaleString("en-US", {
			    minimumFractionDigits: d, maximumFractionDigits: d });
		}
		return "$" + v.toLocaleString("en-US",
		    { maximumFractionDigits: 0 });
	}

	function short(v, m) {
		var pre = m === "tons" ? "" : "$";
		var a = Math.abs(v);

		if (a >= 1e9) {
			return pre + (v / 1e9).toLocaleString("en-US") + "B";
		}
		if (a >= 1e6) {
			return pre + (v / 1e6).toLocaleString("en-US") + "M";
		}
		if (a >= 1e4) {
			return pre + (v / 1e3).toLocaleString("en-US") + "k";
		}
		return pre + v.toLocaleString("en-US");
	}

	/* A cell's figure in the measure; null when withheld or none. */
	function value(el, m) {
		var s;

		if (el.hasAttribute("data-d")) {
			return null;
		}
		s = el.getAttribute(ATTR[m]);
		return s === null ? null : parseFloat(s);
	}

	/* Month tables: a line per column (but the total). */
	function pivotData(table, m) {
		var heads = table.querySelectorAll("thead th");
		var rows = table.querySelectorAll("tbody tr");
		var labels = [];
		var sets = [];
		var i, j, cells, k;

		for (j = 1; j < heads.length; j++) {
			if (heads[j].getAttribute("data-series") !== "off") {
				sets.push({ col: j - 1, label:
				    heads[j].textContent, data: [] });
			}
		}
		for (i = 0; i < rows.length; i++) {
			labels.push(rows[i].querySelector("th").textContent);
			cells = rows[i].querySelectorAll("td");
			for (k = 0; k < sets.length; k++) {
				sets[k].data.push(value(cells[sets[k].col], m));
			}
		}
		return { labels: labels, sets: sets };
	}

	/* Long tables: a bar per row, the first published rows. */
	function longData(table, m, top) {
		var rows = table.querySelectorAll("tbody tr");
		var labels = [];
		var data = [];
		var i, parts, v;

		for (i = 0; i < rows.length && labels.length < top; i++) {
			v = value(rows[i], m);
			if (v === null) {
				continue;
			}
			parts = Array.prototype.map.call(
			    rows[i].querySelectorAll(".aim-mon-label"),
			    function (c) { return c.textContent; });
			labels.push(parts.length > 1 ? parts.join(" → ") :
			    parts[0]);
			data.push(v);
		}
		return { labels: labels, sets: [{ label: UNITS[m],
		    data: data }], title: Array.prototype.slice.call(
		    table.querySelectorAll("thead th"), 0,
		    rows.length ? rows[0].querySelectorAll(".aim-mon-label")
		    .length : 1).map(function (c) {
			return c.textContent;
		    }).join(" → ") };
	}

	function datasets(d, type) {
		return d.sets.map(function (s, i) {
			var c = COLORS[i % COLORS.length];

			if (type === "bar") {
				return { label: s.label, data: s.data,
				    backgroundColor: c, borderColor: c };
			}
			return {
				label: s.label,
				data: s.data,
				borderColor: c,
				backgroundColor: c,
				/* 10 colors, 8 shapes, 4 dashes: no two of
				 * the first 40 lines look alike. */
				pointStyle: POINTS[i % POINTS.length],
				pointRadius: 3.5,
				pointHoverRadius: 5,
				borderWidth: 2,
				borderDash: DASHES[i % DASHES.length],
				spanGaps: false,
				tension: 0
			};
		});
	}

	function ariaLabel(slot, m) {
		var sum = document.getElementById(
		    slot.getAttribute("data-summary"));

		return slot.getAttribute("data-what") + ", in " + UNITS[m] +
		    ". " + (sum ? sum.textContent + " " : "") +
		    "The table after the chart has every figure.";
	}

	function build(slot) {
		var table = document.getElementById(
		    slot.getAttribute("data-table"));
		var type = slot.getAttribute("data-type");
		var top = parseInt(slot.getAttribute("data-top") || "15", 10);
		var canvas, d, chart, details;

		if (!table) {
			return;
		}
		d = type === "bar" ? longData(table, measure, top) :
		    pivotData(table, measure);
		if (d.labels.length === 0 || !d.sets.some(function (s) {
			return s.data.some(function (v) { return v !== null; });
		})) {
			return;		/* nothing published: the table says so */
		}
		canvas = document.createElement("canvas");
		canvas.setAttribute("role", "img");
		canvas.setAttribute("aria-label", ariaLabel(slot, measure));
		canvas.textContent = slot.getAttribute("data-what") +
		    ": see the table of the figures.";
		slot.appendChild(canvas);
		slot.hidden = false;
		if (type === "bar") {
			/* A bar a row: the box grows with them. */
			slot.classList.add("aim-mon-chart--bars-" +
			    Math.min(15, Math.max(3, d.labels.length)));
		}
		chart = new Chart(canvas, {
			type: type === "bar" ? "bar" : "line",
			data: { labels: d.labels,
			    datasets: datasets(d, type) },
			options: options(type, measure, d.title)
		});
		charts.push({ slot: slot, table: table, type: type, top: top,
		    chart: chart, canvas: canvas });
		/* The chart is shown: its table folds away, a click from
		 * it. */
		details = table.closest("details");
		if (details) {
			details.open = false;
		}
	}

	function options(type, m, title) {
		var bar = type === "bar";
		var axis = {
			beginAtZero: true,
			title: { display: true, text: UNITS[m],
			    color: "#1b1b1b" },
			ticks: { color: "#1b1b1b", callback: function (v) {
				return short(v, m);
			} },
			grid: { color: "#dfe1e2" }
		};
		var cat = { ticks: { color: "#1b1b1b", autoSkip: !bar },
		    grid: { display: !bar } };

		return {
			responsive: true,
			maintainAspectRatio: false,
			animation: false,
			indexAxis: bar ? "y" : "x",
			interaction: { mode: bar ? "nearest" : "index",
			    intersect: bar },
			plugins: {
				/* What a bar's label names, above the bars. */
				title: { display: !!title, text: title || "",
				    align: "start", color: "#1b1b1b",
				    font: { weight: "normal" } },
				legend: { display: !bar, position: "bottom",
				    labels: { usePointStyle: true, boxWidth: 9,
				    boxHeight: 9, color: "#1b1b1b",
				    padding: 14 } },
				tooltip: { callbacks: { label: function (c) {
					var v = bar ? c.parsed.x : c.parsed.y;
					return (bar ? "" : c.dataset.label +
					    ": ") + (v === null ? "(D)" :
					    fmt(v, m));
				} } }
			},
			scales: bar ? { x: axis, y: cat } : { x: cat, y: axis }
		};
	}

	/* The pivot tables show the measure's figures; the long tables
	 * show all three already. */
	function rewriteTable(table, m) {
		var cells, i, unit, v;

		if (table.getAttribute("data-layout") !== "pivot") {
			return;
		}
		cells = table.querySelectorAll("tbody td");
		for (i = 0; i < cells.length; i++) {
			if (cells[i].hasAttribute("data-d")) {
				continue;
			}
			v = value(cells[i], m);
			cells[i].textContent = fmt(v, m);
		}
		unit = table.querySelector("caption .aim-mon-unit");
		if (unit) {
			unit.textContent = UNITS[m];
		}
	}

	function switchMeasure(m) {
		var i, c, d, url;

		measure = m;
		for (i = 0; i < charts.length; i++) {
			c = charts[i];
			rewriteTable(c.table, m);
			d = c.type === "bar" ? longData(c.table, m, c.top) :
			    pivotData(c.table, m);
			c.chart.data.labels = d.labels;
			c.chart.data.datasets = datasets(d, c.type);
			c.chart.options = options(c.type, m, d.title);
			c.chart.update();
			c.canvas.setAttribute("aria-label",
			    ariaLabel(c.slot, m));
		}
		/* Tables without a chart (nothing published) too. */
		Array.prototype.forEach.call(document.querySelectorAll(
		    "table.aim-mon-data"), function (t) {
			if (!charts.some(function (x) {
				return x.table === t;
			})) {
				rewriteTable(t, m);
			}
		});
		/* The address keeps the choice (reload, bookmark). */
		if (window.URL && window.history &&
		    window.history.replaceState) {
			url = new URL(window.location.href);
			url.searchParams.set("measure", m);
			window.history.replaceState(null, "", url.toString());
		}
	}

	Array.prototype.forEach.call(
	    document.querySelectorAll(".aim-mon-chart[data-table]"), build);

	if (form) {
		form.addEventListener("change", function (e) {
			if (e.target.name === "measure" &&
			    UNITS[e.target.value]) {
				switchMeasure(e.target.value);
			}
		});
	}
})();
