// Behaviour of the portal's pages. Loaded from a file because the content security policy
// forbids inline scripts; every page works without it.
(function () {
  "use strict";

  // A slow phone connection invites a second tap, and a second count for the same date is
  // refused: disable the submit button once the form is on its way.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("portal-form")) return;
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });
  // Coming back with the browser's Back button restores the page as it was left.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll(".portal-form button[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
  });

  // User form: a commune and fields concern commune roles only.
  var role = document.getElementById("id_role");
  if (role) {
    var communeRoles = ["commune_officer", "commune_leader"];
    var communeOnly = ["field-commune", "field-fields"]
      .map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
    var sync = function () {
      var hide = communeRoles.indexOf(role.value) === -1;
      communeOnly.forEach(function (block) { block.classList.toggle("d-none", hide); });
    };
    role.addEventListener("change", sync);
    sync();
  }

  // The menu's button on a phone (the navbar's toggler) and a message's close button: a few
  // lines here rather than Bootstrap's script (17 KiB) on every page, which the portal needed
  // for these two alone.
  document.addEventListener("click", function (event) {
    var toggler = event.target.closest("[data-bs-toggle=collapse]");
    if (toggler) {
      var menu = document.querySelector(toggler.getAttribute("data-bs-target"));
      if (!menu) return;
      var open = menu.classList.toggle("show");
      toggler.setAttribute("aria-expanded", open ? "true" : "false");
      toggler.classList.toggle("collapsed", !open);
      return;
    }
    var dismiss = event.target.closest("[data-bs-dismiss=alert]");
    var message = dismiss && dismiss.closest(".alert");
    if (message) message.remove();
  });

  // The bell (notifications/_bell.html) is asked for again every data-poll-seconds and
  // replaced whole, so its count follows without a reload; a few lines here rather than htmx
  // (17 KiB) on every page. A tab out of sight does not ask. 286 means the session ended:
  // the asking stops. Any other failure (a weak link, a restart) waits for the next turn.
  var STOP_POLLING = 286;
  function pollBell(seconds) {
    window.setTimeout(function () {
      var bell = document.getElementById("notification-bell");
      if (!bell) return;
      if (document.hidden) { pollBell(seconds); return; }
      window.fetch(bell.getAttribute("data-poll"), { credentials: "same-origin" })
        .then(function (response) {
          if (response.status === STOP_POLLING) return null;
          return response.ok ? response.text() : "";
        })
        .then(function (html) {
          if (html === null) return;
          var answer = document.createElement("template");
          answer.innerHTML = html.trim();
          var fresh = answer.content.firstElementChild;
          if (fresh && fresh.id === "notification-bell") bell.replaceWith(fresh);
          pollBell(seconds);
        }, function () { pollBell(seconds); });
    }, seconds * 1000);
  }
  var bell = document.getElementById("notification-bell");
  var every = bell && parseInt(bell.getAttribute("data-poll-seconds"), 10);
  if (every > 0 && window.fetch) pollBell(every);

  // A chart's numbers are folded under it on a phone, and open beside it on a wide screen.
  if (window.matchMedia("(min-width: 992px)").matches) {
    document.querySelectorAll("details[data-wide-open]").forEach(function (details) {
      details.open = true;
    });
  }
})();
