// The "Your data" form: asks for a link to the visitor's own data at the address they give.
(() => {
  const { api } = window.FourSite;
  const form = document.getElementById('privacy-form');
  const input = document.getElementById('privacy-email');
  const say = text => { document.getElementById('privacy-status').textContent = text; };
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const email = input.value.trim();
    if (!input.checkValidity() || !email) { say('Enter the email address you left on the page.'); input.focus(); return; }
    try {
      await api('/api/privacy/requests', { method: 'POST', body: { email } });
      say(`We emailed a link to ${email}, unless it already had three today: then use one of those. It works for 24 hours.`);
      form.reset();
    } catch (error) {
      say(error.status === 429 ? 'Too many requests from your network: please try again later.' : error.message);
    }
  });
})();
