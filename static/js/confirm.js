// The bulletin's page, posting by hand: copy the text to post in one tap. Loaded from a file
// because the content security policy forbids inline scripts; the page works without it
// (the text can be selected and copied by hand, and the rows' forms post normally).
(function () {
  "use strict";

  function copyWithSelection(field) {
    // Older phones' browsers, and pages not served over https, have no navigator.clipboard.
    var readOnly = field.readOnly;
    field.readOnly = false;
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    field.readOnly = readOnly;
    field.blur();
    return copied;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.querySelector(button.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    if (!field) return;
    var say = function (ok) {
      if (status) status.textContent = button.getAttribute(ok ? "data-copied" : "data-failed");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { say(true); },
        function () { say(copyWithSelection(field)); }
      );
    } else {
      say(copyWithSelection(field));
    }
  });
})();
