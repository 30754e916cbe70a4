// The one import map of every page (index, embed, train): the bare specifiers
// the ES modules import, mapped to the copies served from node_modules
// (build-scripts/serve.mjs, /vendor/...). Chart.js v4's ES module imports
// @kurkle/color by its bare name. A classic script (load it with a plain
// <script src>, before any module script) so the map is in place before the
// first module is fetched; the package build needs none (bundle.mjs resolves
// the same names).
{
  const vendor = (path) => new URL(`vendor/${path}`, document.currentScript.src).href;
  const map = document.createElement('script');
  map.type = 'importmap';
  map.textContent = JSON.stringify({
    imports: {
      'chart.js': vendor('chart.js/chart.js'),
      '@kurkle/color': vendor('kurkle-color/color.esm.js'),
      katex: vendor('katex/katex.mjs'),
      three: vendor('three/three.module.js'),
      'three/addons/': vendor('three-addons/'),
    },
  });
  document.currentScript.after(map);
}
