// Console pages: htmx requests carry the CSRF token of the page (Spring Security checks it on every POST),
// and charts are drawn from the JSON the page carries in <script type="application/json" class="chart">.
document.addEventListener('htmx:configRequest', function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers['X-CSRF-TOKEN'] = meta.content;
  }
});
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
    select.addEventListener('change', function () { select.form.submit(); });
  });
  if (typeof Chart === 'undefined') {
    return;
  }
  document.querySelectorAll('script.chart').forEach(function (data) {
    var spec = JSON.parse(data.textContent);
    var canvas = document.getElementById(data.dataset.canvas);
    if (canvas) {
      canvas.chart = new Chart(canvas, spec);
    }
  });
});
