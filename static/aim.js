/*
 * Conveniences on top of pages that work without JavaScript:
 *  - the error summary takes the focus, so screen readers announce it;
 *  - the license form adds and removes product lines in the page
 *    (the buttons otherwise post action=add_line / remove_line_N and
 *    the server shows the form again) and renumbers the lines so the
 *    input names stay lines[1].x, lines[2].x, ...;
 *  - each line shows its unit value (value / kg) and, for aluminum,
 *    its product group as it is typed.
 * Loaded from a file (the CSP allows no inline script); no handler
 * attributes.
 */
(function () {
	"use strict";

	var summary = document.getElementById("error-summary");
	if (summary) {
		summary.focus();
	}

	var lines = document.getElementById("aim-lines");
	var template = document.getElementById("aim-line-template");
	if (!lines || !template || !("content" in template)) {
		return;
	}
	var addButton = document.querySelector("button.aim-add-line");
	var LINE_RE = /^lines\[\d+\]/;
	var ID_RE = /f-lines-\d+/g;

	function lineList() {
		return lines.querySelectorAll("fieldset.aim-line");
	}

	/* Names, ids, labels, legends and buttons of each line follow its
	 * position: lines[1] is always the first line on the page. */
	function renumber() {
		var all = lineList();
		var i, j, n, line, els, el, attr, legend, rm;

		for (i = 0; i < all.length; i++) {
			n = i + 1;
			line = all[i];
			line.id = "f-lines-" + n;
			legend = line.querySelector("legend");
			if (legend) {
				legend.textContent = "Product line " + n;
			}
			els = line.querySelectorAll("[name], [id], [for], " +
			    "[aria-describedby]");
			for (j = 0; j < els.length; j++) {
				el = els[j];
				attr = el.getAttribute("name");
				if (attr && LINE_RE.test(attr)) {
					el.setAttribute("name", attr.replace(LINE_RE,
					    "lines[" + n + "]"));
				}
				["id", "for", "aria-describedby"].forEach(
				    function (a) {
					var v = el.getAttribute(a);
					if (v) {
						el.setAttribute(a, v.replace(ID_RE,
						    "f-lines-" + n));
					}
				});
			}
			rm = line.querySelector("button.aim-remove-line");
			if (rm) {
				rm.value = "remove_line_" + n;
				rm.textContent = "Remove product line " + n;
				/* USWDS buttons are display: inline-block,
				 * which beats the hidden attribute alone. */
				rm.hidden = all.length < 2;
				rm.classList.toggle("display-none",
				    all.length < 2);
			}
		}
	}

	/* "1,234.50" or "$1234.5" -> 1234.5; NaN when not a number. */
	function amount(s) {
		s = (s || "").replace(/[\s$,]/g, "");
		if (!/^\+?(\d+\.?\d*|\.\d+)$/.test(s)) {
			return NaN;
		}
		return parseFloat(s);
	}

	function field(line, name) {
		return line.querySelector("input[name$='." + name + "']");
	}

	function facts(line) {
		var value = field(line, "customs_value_usd");
		var kg = field(line, "volume_kg");
		var auv = line.querySelector("output.aim-auv");
		var code = field(line, "hts_code");
		var group = line.querySelector("output.aim-group");
		var v, k, list, opt, c, i;

		if (auv && value && kg) {
			v = amount(value.value);
			k = amount(kg.value);
			auv.textContent = v > 0 && k > 0 ?
			    "$" + (v / k).toFixed(2) + " per kg" : "-";
		}
		/* Aluminum codes come with their group in the datalist. */
		list = code && code.list;
		if (group && list) {
			c = code.value.replace(/[\s.]/g, "");
			group.textContent = "-";
			for (i = 0; i < list.options.length; i++) {
				opt = list.options[i];
				if (opt.value === c) {
					group.textContent =
					    opt.getAttribute("data-group");
					break;
				}
			}
		}
	}

	function clearLine(line) {
		var inputs = line.querySelectorAll("input");
		var i;

		for (i = 0; i < inputs.length; i++) {
			inputs[i].value = "";
		}
		facts(line);
	}

	lines.addEventListener("input", function (ev) {
		var line = ev.target.closest && ev.target.closest(
		    "fieldset.aim-line");
		if (line) {
			facts(line);
		}
	});

	lines.addEventListener("click", function (ev) {
		var btn = ev.target.closest && ev.target.closest(
		    "button.aim-remove-line");
		var line, all, next;

		if (!btn) {
			return;
		}
		ev.preventDefault();
		line = btn.closest("fieldset.aim-line");
		all = lineList();
		if (all.length < 2) {
			clearLine(line);
			return;
		}
		next = line.nextElementSibling || line.previousElementSibling;
		line.parentNode.removeChild(line);
		renumber();
		/* Keep the keyboard user in the list, not at the page top. */
		if (next) {
			var first = next.querySelector("input");
			if (first) {
				first.focus();
			}
		}
	});

	if (addButton) {
		addButton.addEventListener("click", function (ev) {
			var copy, added, first;

			ev.preventDefault();
			copy = document.importNode(template.content, true);
			lines.appendChild(copy);
			renumber();
			added = lineList();
			first = added[added.length - 1].querySelector("input");
			if (first) {
				first.focus();
			}
		});
	}

	renumber();
	Array.prototype.forEach.call(lineList(), facts);
}());
