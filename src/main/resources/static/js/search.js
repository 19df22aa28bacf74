// The search form's two helpers; without this script the form still works (a typed specialty is
// matched by the server, the city or postcode typed by hand). Served by the application: the CSP
// forbids inline scripts.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('search-form');
  if (!form) { return; }
  var specialty = document.getElementById('specialty');

  // A suggestion clicked (or chosen with Enter or Space) fills the field and empties the list.
  form.addEventListener('click', function (event) {
    var chosen = event.target.closest('button.suggestion');
    if (!chosen) { return; }
    specialty.value = chosen.dataset.value;
    var list = document.getElementById('specialty-suggestions');
    if (list) { list.innerHTML = ''; }
    specialty.focus();
  });

  // "Around me": the browser's position, asked only when the button is pressed.
  var around = document.getElementById('around-me');
  var status = document.getElementById('position-status');
  if (!around || !('geolocation' in navigator)) { return; }
  around.hidden = false;
  around.addEventListener('click', function () {
    status.textContent = status.dataset.asking;
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = document.getElementById('lat');
      var lon = document.getElementById('lon');
      lat.value = position.coords.latitude.toFixed(4);
      lon.value = position.coords.longitude.toFixed(4);
      lat.disabled = false;
      lon.disabled = false;
      document.getElementById('city').value = '';
      status.textContent = status.dataset.found;
      form.requestSubmit();
    }, function () {
      status.textContent = status.dataset.refused;
    }, {maximumAge: 600000, timeout: 15000});
  });
  // A city typed again replaces the position.
  document.getElementById('city').addEventListener('input', function () {
    document.getElementById('lat').disabled = true;
    document.getElementById('lon').disabled = true;
  });
});
