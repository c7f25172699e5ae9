// Hovering (or tapping) a sentence highlights it and its counterpart.
// One listener on the document, so it keeps working when the reader replaces the columns.
(function () {
  if (window.bilingualReader) return;
  window.bilingualReader = true;
  var lastScroll = 0;
  function sentence(target) {
    return target && target.closest ? target.closest('.bilingual .s[data-idx]') : null;
  }
  function highlight(s, scroll) {
    document.querySelectorAll('.bilingual .s.hl').forEach(function (e) { e.classList.remove('hl'); });
    if (!s) return;
    document.querySelectorAll('.bilingual .s[data-idx="' + s.dataset.idx + '"]').forEach(function (e) {
      e.classList.add('hl');
      if (e === s) return;
      var box = e.getBoundingClientRect();
      var hidden = box.bottom < 0 || box.top > window.innerHeight;
      if (hidden && (scroll || Date.now() - lastScroll > 800)) {
        lastScroll = Date.now();
        e.scrollIntoView({ block: scroll ? 'center' : 'nearest', behavior: 'smooth' });
      }
    });
  }
  document.addEventListener('mouseover', function (event) { highlight(sentence(event.target), false); });
  document.addEventListener('click', function (event) {
    var s = sentence(event.target);
    if (s) highlight(s, true);
  });
})();
