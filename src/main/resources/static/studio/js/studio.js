// The studio's few behaviours that need a script: the CSRF header on htmx requests, signed media
// URLs renewed before they expire, and drag and drop on the timeline (the buttons do the same
// without a mouse).
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : null;

  document.body.addEventListener('htmx:configRequest', function (event) {
    if (csrf) {
      event.detail.headers['X-XSRF-TOKEN'] = csrf;
    }
  });

  // A signed URL lives PHORK_URL_TTL; a minute before it ends the player gets a fresh one and
  // carries on where it was.
  function scheduleRefresh(media) {
    if (media.dataset.refreshScheduled) {
      return;
    }
    media.dataset.refreshScheduled = 'true';
    var wait = Math.max(5000, Number(media.dataset.expires) - Date.now() - 60000);
    setTimeout(function () {
      fetch(media.dataset.refresh, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (fresh) {
          var at = media.currentTime;
          var playing = !media.paused;
          media.src = fresh.url;
          media.dataset.expires = String(Date.parse(fresh.expiresAt));
          media.addEventListener('loadedmetadata', function () {
            media.currentTime = at;
            if (playing) { media.play(); }
          }, { once: true });
        })
        .catch(function () { /* the next page load signs it again */ })
        .finally(function () {
          delete media.dataset.refreshScheduled;
          scheduleRefresh(media);
        });
    }, wait);
  }

  function scan(root) {
    root.querySelectorAll('[data-refresh][data-expires]').forEach(scheduleRefresh);
  }

  function reorderable(list) {
    var dragged = null;
    list.addEventListener('dragstart', function (event) {
      dragged = event.target.closest('li[data-scene-id]');
      if (dragged) { event.dataTransfer.effectAllowed = 'move'; }
    });
    list.addEventListener('dragover', function (event) {
      if (dragged) { event.preventDefault(); }
    });
    list.addEventListener('drop', function (event) {
      var target = event.target.closest('li[data-scene-id]');
      if (!dragged || !target || target === dragged) { return; }
      event.preventDefault();
      var items = Array.prototype.slice.call(list.children);
      list.insertBefore(dragged, items.indexOf(target) > items.indexOf(dragged) ? target.nextSibling : target);
      var form = document.createElement('form');
      form.method = 'post';
      form.action = list.dataset.orderUrl;
      function field(name, value) {
        var input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        form.appendChild(input);
      }
      field('_csrf', csrf);
      list.querySelectorAll('li[data-scene-id]').forEach(function (li) { field('order', li.dataset.sceneId); });
      document.body.appendChild(form);
      form.submit();
    });
  }

  scan(document);
  document.querySelectorAll('ol.timeline[data-order-url]').forEach(reorderable);
  document.body.addEventListener('htmx:afterSettle', function (event) { scan(event.target); });
})();
