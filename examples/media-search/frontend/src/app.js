// The search endpoint is read from config.json, written next to the page.
document.getElementById('search').addEventListener('submit', async (e) => {
  e.preventDefault();
  const { searchUrl } = await (await fetch('config.json')).json();
  const q = new FormData(e.target).get('q');
  const { hits } = await (await fetch(`${searchUrl}?q=${encodeURIComponent(q)}`)).json();
  document.getElementById('hits').replaceChildren(...hits.map((h) => Object.assign(document.createElement('li'), { textContent: h.caption })));
});
