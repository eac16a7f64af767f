/*
 * The multiple-license upload (/apply/multiple): once the form is sent,
 * show that the file is going up and being checked, with its size and
 * the seconds since, and keep the button from sending it twice.  The
 * page works without this (the browser shows its own loading
 * indicator).  Loaded from a file: the CSP allows no inline script.
 */
(function () {
	"use strict";

	var form = document.getElementById("aim-batch-form");
	var box = document.getElementById("aim-batch-progress");
	var text = document.getElementById("aim-batch-progress-text");
	var timer = null;

	if (!form || !box || !text) {
		return;
	}

	function size(n) {
		if (n >= 1024 * 1024) {
			return (n / (1024 * 1024)).toFixed(1) + " MB";
		}
		if (n >= 1024) {
			return Math.ceil(n / 1024) + " kB";
		}
		return n + " bytes";
	}

	function buttons(disabled) {
		var all = form.querySelectorAll("button[type=submit]");
		var i;

		for (i = 0; i < all.length; i++) {
			all[i].disabled = disabled;
			all[i].setAttribute("aria-disabled",
			    disabled ? "true" : "false");
		}
	}

	function reset() {
		if (timer !== null) {
			window.clearInterval(timer);
			timer = null;
		}
		box.hidden = true;
		box.classList.add("display-none");
		buttons(false);
	}

	form.addEventListener("submit", function () {
		var input = form.querySelector("input[type=file]");
		var file = input && input.files && input.files[0];
		var what, started;

		/* No file: the server says so at once. */
		if (!file) {
			return;
		}
		what = "Uploading and checking " + file.name + " (" +
		    size(file.size) + ")";
		started = Date.now();
		text.textContent = what + "...";
		/* USWDS alerts are display: flex, which beats the hidden
		 * attribute alone. */
		box.hidden = false;
		box.classList.remove("display-none");
		box.setAttribute("aria-live", "polite");
		timer = window.setInterval(function () {
			var s = Math.round((Date.now() - started) / 1000);

			/* Announced once; the seconds are for the eye. */
			box.setAttribute("aria-live", "off");
			text.textContent = what + ": " + s + " second" +
			    (s === 1 ? "" : "s") + ". Large files take a " +
			    "minute; keep this page open.";
		}, 1000);
		/* After the browser has taken the form's data: a control
		 * disabled before that would not be sent. */
		window.setTimeout(function () {
			buttons(true);
		}, 0);
	});

	/* Back to this page from the history: ready again. */
	window.addEventListener("pageshow", reset);
}());
