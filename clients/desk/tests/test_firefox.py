"""Item 5 of issue 30: the pages in the Firefox Debian ships (firefox-esr), headless. Debian has no
WebDriver for it, so Firefox opens the launch URL itself and draws the page it lands on: the one-time
token, the cookie and the Host check work for it, and the queue is drawn (saved beside Chromium's
screenshots for a person to look at)."""
import os
import shutil
import subprocess

from conftest import CURATOR, SHOTS, get


def test_firefox_opens_the_launch_url_and_draws_the_queue(desks, tmp_path):
    from PIL import Image
    firefox = shutil.which("firefox-esr") or shutil.which("firefox")
    assert firefox, "scripts/setup installs firefox-esr"
    desk = desks(CURATOR)
    os.makedirs(SHOTS, exist_ok=True)
    picture = os.path.join(SHOTS, "queue-firefox.png")
    if os.path.exists(picture):
        os.unlink(picture)
    profile = tmp_path / "profile"
    profile.mkdir()
    environment = dict(os.environ, HOME=str(tmp_path), MOZ_HEADLESS="1")
    subprocess.run([firefox, "--headless", "--no-remote", "--profile", str(profile), "--window-size=1400,900",
                    "--screenshot", picture, desk.launch], env=environment, capture_output=True, timeout=120, check=True)
    # Firefox spent the token: the same URL opens nothing again.
    assert get(desk.launch)[0] == 403
    with Image.open(picture) as image:
        image = image.convert("RGB")
        # The desk's header band (#f4f7fb) and its queue's header row (#eef2f7) are drawn: the queue, not
        # the refusal page (which has neither).
        colours = {colour for _, colour in image.getcolors(1 << 20)}
    assert (0xF4, 0xF7, 0xFB) in colours and (0xEE, 0xF2, 0xF7) in colours
