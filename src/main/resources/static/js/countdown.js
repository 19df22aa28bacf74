// The hold's countdown, read aloud politely once a minute; the page already states the expiry time,
// so without this script nothing is lost. Served by the application: the CSP forbids inline scripts.
document.addEventListener('DOMContentLoaded', function () {
  var el = document.getElementById('countdown');
  if (!el) { return; }
  var left = parseInt(el.dataset.seconds, 10);
  var template = el.dataset.template || '{0}';
  if (isNaN(left)) { return; }
  var end = Date.now() + left * 1000;
  function show() {
    var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
    var minutes = Math.ceil(seconds / 60);
    el.textContent = template.replace('{0}', String(minutes));
    if (seconds > 0) { setTimeout(show, 60000); }
  }
  show();
});
