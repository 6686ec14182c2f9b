// A job's page: ask for its progress every second, move the bar, and open the result when done.
(function () {
  'use strict';
  const box = document.getElementById('job');
  if (!box || !['queued', 'running'].includes(box.dataset.state)) return;
  const bar = document.getElementById('job-bar');

  async function poll() {
    let answer;
    try {
      const response = await fetch(box.dataset.progressUrl, {headers: {Accept: 'application/json'}});
      answer = await response.json();
    } catch (error) {
      setTimeout(poll, 2000);  // the server restarts or the network drops: try again
      return;
    }
    if (answer.result_url) { window.location.assign(answer.result_url); return; }
    if (!['queued', 'running'].includes(answer.state)) { window.location.reload(); return; }
    if (bar && answer.total) { bar.max = answer.total; bar.value = answer.done; }
    const count = document.getElementById('job-count');
    if (count && answer.total) count.textContent = count.textContent.replace(/[0-9]+/, answer.done);
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();
