// Recalculates each line's Flemish contribution and the totals while the officer types.
// The server computes the same on save; this only saves a round trip.
(function () {
  var euro = new Intl.NumberFormat('nl-BE', { style: 'currency', currency: 'EUR' });
  var inputs = document.querySelectorAll('input[data-unit-cents]');
  function recalculate() {
    var total = 0;
    inputs.forEach(function (input) {
      var planned = /^\d+$/.test(input.value.trim()) ? Number(input.value.trim()) : 0;
      var cents = planned * Number(input.getAttribute('data-unit-cents'));
      total += cents;
      var cell = document.querySelector('[data-contribution-for="' + input.id + '"]');
      if (cell) cell.textContent = euro.format(cents / 100);
    });
    ['total-flemish', 'total-local'].forEach(function (id) {
      var cell = document.getElementById(id);
      if (cell) cell.textContent = euro.format(total / 100);
    });
  }
  inputs.forEach(function (input) {
    input.addEventListener('input', recalculate);
  });
})();
