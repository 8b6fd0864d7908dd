// A calendar beside each date field (input[data-datepicker]). Dates are typed dd/mm/yyyy
// whatever the browser's language (docs/rules.md#typed-input), and the field stays the
// typist's: the calendar writes the day picked in it and never rewrites what was typed (a
// picker that "corrects" 31/02 into 03/03 would save another day than the one typed). Every
// page works without this file. flatpickr (static/vendor/flatpickr, MIT) draws the calendar; it
// is fetched from the addresses this tag carries when a calendar is first opened, so that a page
// loads none of it for a person who types the day (or never changes it).
(function () {
  "use strict";

  var tag = document.currentScript;
  var fields = document.querySelectorAll("input[data-datepicker]");
  if (!tag || !fields.length) return;

  var DAY = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?\s*$/;
  var ISO = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2}))?\s*$/;

  // The day written in `text`, or null when it names none (31/02/2026 names none).
  function parse(text) {
    var day = DAY.exec(text || "");
    var parts = day ? [day[3], day[2], day[1], day[4], day[5]] : null;
    var iso = parts ? null : ISO.exec(text || "");
    if (iso) parts = [iso[1], iso[2], iso[3], iso[4], iso[5]];
    if (!parts) return null;
    var year = +parts[0], month = +parts[1] - 1, date = +parts[2];
    var hours = parts[3] === undefined ? 0 : +parts[3];
    var minutes = parts[4] === undefined ? 0 : +parts[4];
    var value = new Date(year, month, date, hours, minutes);
    if (value.getFullYear() !== year || value.getMonth() !== month || value.getDate() !== date
        || hours > 23 || minutes > 59) return null;
    return value;
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function write(value, withTime) {
    var text = two(value.getDate()) + "/" + two(value.getMonth() + 1) + "/" + value.getFullYear();
    return withTime ? text + " " + two(value.getHours()) + ":" + two(value.getMinutes()) : text;
  }

  function load(tagName, attrs) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tagName);
      Object.keys(attrs).forEach(function (name) { element[name] = attrs[name]; });
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function calendarIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("fill", "currentColor");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 0h1v2h6V0h1v2h2a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H2a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h2V0zM1 6v8a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V6H1zm2 2h2v2H3V8zm4 0h2v2H7V8zm4 0h2v2h-2V8zm-8 3h2v2H3v-2zm4 0h2v2H7v-2z");
    svg.appendChild(path);
    return svg;
  }

  // Vietnamese names a month by its number ("Tháng 12"), which also leaves the calendar's
  // header room for the year that "Tháng mười hai" pushed out of it.
  function locale() {
    var vn = document.documentElement.lang === "vi" && window.flatpickr.l10ns.vn;
    if (!vn) return "default";
    var months = [];
    for (var month = 1; month <= 12; month++) months.push("Tháng " + month);
    return Object.assign({}, vn, { months: { shorthand: vn.months.shorthand, longhand: months } });
  }

  function attach(field) {
    var withTime = field.getAttribute("data-datepicker") === "datetime";
    var group = document.createElement("div");
    group.className = "input-group flex-nowrap datepicker-group"
      + (field.classList.contains("form-control-sm") ? " input-group-sm" : "");
    field.parentNode.insertBefore(group, field);
    group.appendChild(field);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary datepicker-toggle";
    button.setAttribute("aria-label", field.getAttribute("data-datepicker-label") || "");
    button.title = button.getAttribute("aria-label");
    button.appendChild(calendarIcon());
    group.appendChild(button);
    // flatpickr holds the picked day in an input of its own (never sent: it has no name), so
    // that it never reads or rewrites the field.
    var holder = document.createElement("input");
    holder.className = "d-none";
    holder.tabIndex = -1;
    holder.setAttribute("aria-hidden", "true");
    group.appendChild(holder);

    var picked = false;
    var picker = null;
    function create() {
      picker = window.flatpickr(holder, {
        dateFormat: withTime ? "d/m/Y H:i" : "d/m/Y",
        ariaDateFormat: "d/m/Y",
        animate: false,
        enableTime: withTime,
        time_24hr: true,
        // Not the phone's own date input: it would show the day as the phone's language does.
        disableMobile: true,
        clickOpens: false,
        allowInput: false,
        positionElement: field,
        ignoredFocusElements: [button],
        minDate: parse(field.getAttribute("data-min")),
        maxDate: parse(field.getAttribute("data-max")),
        locale: locale(),
        // Back to the field once a day is picked: at once where picking a day closes the
        // calendar (it closes before it says what changed), else when it is closed.
        onChange: function (dates, text, instance) {
          if (!dates.length) return;
          field.value = write(dates[0], withTime);
          field.dispatchEvent(new Event("change", { bubbles: true }));
          picked = instance.isOpen;
          if (!picked) field.focus();
        },
        onClose: function () {
          if (picked) field.focus();
          picked = false;
        },
      });
    }
    function open() {
      if (picker.isOpen) {
        picker.close();
        return;
      }
      var typed = parse(field.value);
      if (typed) {
        picker.setDate(typed, false);
      } else {
        // Nothing readable typed: the calendar starts on today (or its last day).
        picker.clear(false);
        var latest = picker.config.maxDate;
        picker.jumpToDate(latest && latest < new Date() ? latest : new Date());
      }
      picker.open(undefined, field);
      // Keyboard users go on in the calendar (arrows, Enter, Escape).
      var day = picker.selectedDateElem || picker.todayDateElem
        || picker.days.querySelector(".flatpickr-day:not(.flatpickr-disabled)");
      if (day) day.focus();
    }
    button.addEventListener("click", function () {
      if (picker) {
        open();
        return;
      }
      button.disabled = true;
      calendar()
        .then(function () {
          create();
          open();
        })
        .catch(function () { /* no calendar: the field is typed, as without JavaScript */ })
        .then(function () { button.disabled = false; });
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && picker && picker.isOpen) picker.close();
    });
    // Typing again puts the calendar away; what is typed is what is sent.
    field.addEventListener("keydown", function () {
      if (picker && picker.isOpen) picker.close();
    });
  }

  // flatpickr's files, fetched once for all the page's calendars; a failed fetch is tried
  // again at the next opening.
  var fetched = null;
  function calendar() {
    if (!fetched) {
      // The calendar is placed from its drawn size: it opens once its style is there (or
      // could not be fetched, and it is drawn unstyled).
      var style = load("link", { rel: "stylesheet", href: tag.getAttribute("data-css") })
        .catch(function () { return null; });
      var script = load("script", { src: tag.getAttribute("data-js"), async: false })
        .then(function () {
          return document.documentElement.lang === "vi"
            ? load("script", { src: tag.getAttribute("data-locale"), async: false })
            : null;
        });
      fetched = Promise.all([style, script]).catch(function (error) {
        fetched = null;
        throw error;
      });
    }
    return fetched;
  }

  Array.prototype.forEach.call(fields, attach);
})();
