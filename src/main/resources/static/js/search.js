// The search form's two helpers; without this script the form still works (a typed specialty is
// matched by the server, the datalist offers the labels, the city or postcode is typed by hand).
// Served by the application: the CSP forbids inline scripts.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('search-form');
  if (!form) { return; }
  var specialty = document.getElementById('specialty');
  var status = document.getElementById('specialty-status');

  // The specialty field as a WAI-ARIA 1.2 combobox with a listbox popup (the list autocomplete
  // pattern): the suggestions come from the server through htmx; the focus stays in the field and
  // aria-activedescendant names the option chosen with the arrows. The datalist would open a second,
  // native popup: it is detached from the field once the script runs.
  specialty.removeAttribute('list');
  specialty.setAttribute('role', 'combobox');
  specialty.setAttribute('aria-autocomplete', 'list');
  specialty.setAttribute('aria-controls', 'specialty-suggestions');
  specialty.setAttribute('aria-expanded', 'false');

  function listbox() { return document.getElementById('specialty-suggestions'); }
  function options() {
    var list = listbox();
    return list ? Array.prototype.slice.call(list.querySelectorAll('[role="option"]')) : [];
  }
  function active() {
    var id = specialty.getAttribute('aria-activedescendant');
    return id ? document.getElementById(id) : null;
  }
  function highlight(option) {
    options().forEach(function (o) { o.setAttribute('aria-selected', 'false'); });
    if (option) {
      option.setAttribute('aria-selected', 'true');
      specialty.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({block: 'nearest'});
    } else {
      specialty.removeAttribute('aria-activedescendant');
    }
  }
  function open() {
    var list = listbox();
    var any = options().length > 0;
    if (list) { list.hidden = !any; }
    specialty.setAttribute('aria-expanded', any ? 'true' : 'false');
    return any;
  }
  function close() {
    var list = listbox();
    highlight(null);
    if (list) { list.hidden = true; }
    specialty.setAttribute('aria-expanded', 'false');
  }
  function placeGiven() {
    return document.getElementById('city').value.trim() !== '' || !document.getElementById('lat').disabled;
  }
  function pick(option) {
    specialty.value = option.dataset.value;
    close();
    status.textContent = '';
  }

  // New suggestions from the server: shown (unless the field changed since they were asked for),
  // and how many there are said once in the polite live region.
  document.body.addEventListener('htmx:afterSwap', function (event) {
    var list = listbox();
    if (!list || event.target !== list) { return; }
    if (list.dataset.typed !== specialty.value || document.activeElement !== specialty) {
      close();
      return;
    }
    highlight(null);
    open();
    status.textContent = list.dataset.status || '';
  });

  specialty.addEventListener('keydown', function (event) {
    var all = options();
    var current = active();
    var at = current ? all.indexOf(current) : -1;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!all.length) { return; }
        event.preventDefault();
        if (specialty.getAttribute('aria-expanded') !== 'true') {
          open();
          highlight(event.key === 'ArrowDown' ? all[0] : all[all.length - 1]);
          return;
        }
        var next = event.key === 'ArrowDown' ? at + 1 : at - 1;
        highlight(all[(next + all.length) % all.length]);
        return;
      case 'Enter':
        // An option chosen with the arrows fills the field, and the search runs as Enter in a
        // form's field does once a place is given (else the city field is next, and no error is
        // shown for it yet); without an option, Enter searches with what is typed.
        if (current && specialty.getAttribute('aria-expanded') === 'true') {
          event.preventDefault();
          pick(current);
          if (placeGiven()) { form.requestSubmit(); }
        } else {
          close();
        }
        return;
      case 'Escape':
        if (specialty.getAttribute('aria-expanded') === 'true') {
          event.preventDefault();
          close();
        }
        return;
      default:
        return;
    }
  });

  // A click on an option fills the field; the pointer press does not take the focus from it.
  form.addEventListener('mousedown', function (event) {
    if (event.target.closest('[role="option"]')) { event.preventDefault(); }
  });
  form.addEventListener('click', function (event) {
    var chosen = event.target.closest('[role="option"]');
    if (!chosen) { return; }
    pick(chosen);
    specialty.focus();
  });
  specialty.addEventListener('blur', close);

  // "Around me": the browser's position, asked only when the button is pressed.
  var around = document.getElementById('around-me');
  var position = document.getElementById('position-status');
  if (!around || !('geolocation' in navigator)) { return; }
  around.hidden = false;
  around.addEventListener('click', function () {
    position.textContent = position.dataset.asking;
    navigator.geolocation.getCurrentPosition(function (found) {
      var lat = document.getElementById('lat');
      var lon = document.getElementById('lon');
      lat.value = found.coords.latitude.toFixed(4);
      lon.value = found.coords.longitude.toFixed(4);
      lat.disabled = false;
      lon.disabled = false;
      document.getElementById('city').value = '';
      position.textContent = position.dataset.found;
      form.requestSubmit();
    }, function () {
      position.textContent = position.dataset.refused;
    }, {maximumAge: 600000, timeout: 15000});
  });
  // A city typed again replaces the position.
  document.getElementById('city').addEventListener('input', function () {
    document.getElementById('lat').disabled = true;
    document.getElementById('lon').disabled = true;
  });
});
