/* global document */
document.addEventListener('DOMContentLoaded', function () {
  console.log('storefront ready');
});
