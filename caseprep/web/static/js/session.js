/* The idle time-out, said and not sprung (issue 12, item 5; WCAG 2.2.1 Timing Adjustable).
   Without JavaScript the page says how long the case stays open and a late form is kept on
   the server, encrypted. With it: the closing time in her own clock, a dialog a few minutes
   before with "stay" (a keep-alive POST), and the time-out page once the time has run out. */
(function () {
  "use strict";
  var box = document.getElementById("session-ends");
  var dialog = document.getElementById("session-dialog");
  if (!box || !dialog || typeof dialog.showModal !== "function") { return; }
  var idle = parseInt(box.getAttribute("data-idle-seconds"), 10) * 1000;
  var warnBefore = Math.min(parseInt(box.getAttribute("data-warn-seconds"), 10) * 1000, idle / 2);
  var timedOutUrl = box.getAttribute("data-timed-out-url");
  var keepAliveUrl = box.getAttribute("data-keep-alive-url");
  var token = box.getAttribute("data-csrf-token");
  var clock = document.getElementById("session-ends-at");
  var dialogClock = document.getElementById("session-dialog-at");
  var warnTimer = null;
  var endTimer = null;

  function timeText(date) {
    return date.toLocaleTimeString(document.documentElement.lang || undefined,
                                   { hour: "2-digit", minute: "2-digit" });
  }

  function schedule() {
    var endsAt = new Date(Date.now() + idle);
    if (clock) { clock.textContent = timeText(endsAt); clock.setAttribute("datetime", endsAt.toISOString()); }
    if (dialogClock) { dialogClock.textContent = timeText(endsAt); }
    box.classList.add("session-ends--timed");
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(function () { dialog.showModal(); }, idle - warnBefore);
    endTimer = window.setTimeout(function () { window.location.assign(timedOutUrl); }, idle);
  }

  function stay() {
    var request = new XMLHttpRequest();
    request.open("POST", keepAliveUrl);
    request.setRequestHeader("X-CSRFToken", token);
    request.onload = function () {
      if (request.status === 204) { dialog.close(); schedule(); }
      else { window.location.assign(timedOutUrl); }
    };
    request.onerror = function () { dialog.close(); };
    request.send();
  }

  document.getElementById("session-stay").addEventListener("click", stay);
  dialog.addEventListener("cancel", function (event) { event.preventDefault(); stay(); });
  schedule();
}());
