"""What the console's browser tests share: `patron serve` on a free port for the length of a test, and staff accounts."""
import contextlib
import os
import re
import subprocess


@contextlib.contextmanager
def patron_serve(patron_bin, folder, database, secret="k" * 64):
    """Serves `database` on a free port (port 0; the address is read from serve's first line) with the member-link
    `secret`, without background jobs; yields the base URL (no trailing slash) and stops the server afterwards."""
    environment = dict(os.environ, PATRON_MEMBER_LINK_SECRET=secret)
    server = subprocess.Popen(
        [str(patron_bin), "serve", "--database", str(database), "--port", "0", "--no-jobs", "--log-level", "warning"],
        cwd=folder, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"http://\S+", line)
        if not match:
            raise AssertionError(f"patron serve did not start: {line}{server.stderr.read()}")
        yield match.group(0).rstrip("/")
    finally:
        server.terminate()
        server.wait(timeout=30)


def create_staff(patron_bin, folder, database, username, role, name, password):
    """`patron users create` with the password on standard input; fails the test if it is refused."""
    done = subprocess.run(
        [str(patron_bin), "users", "create", username, "--role", role, "--name", name, "--password-stdin", "--actor", "setup",
         "--database", str(database)],
        cwd=folder, input=password + "\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
