"""A small SMTP server for the messages tests (Python's standard library only): EHLO, STARTTLS when given a
certificate, AUTH PLAIN and LOGIN, MAIL/RCPT/DATA/RSET/NOOP/QUIT. Every accepted message is written to OUT/N.eml;
each connection and each successful AUTH adds a line to OUT/connections.log / OUT/auth.log. A recipient whose local
part starts with "bounce" gets 550 (a hard bounce), one starting with "later" gets 451 (try again later).

Usage: python3 smtp_sink.py OUT [--cert CERT --key KEY] [--user U --password P]
Prints the port it listens on (127.0.0.1) as the first line of standard output, then serves until killed.
"""
import asyncio
import base64
import os
import ssl
import sys
import threading


def exit_when_stdin_closes():
    """Ends the process when the test that started it goes away (its end of our standard input closes)."""
    sys.stdin.read()
    os._exit(0)


def main():
    out = sys.argv[1]
    args = sys.argv[2:]
    opts = dict(zip(args[::2], args[1::2]))
    os.makedirs(out, exist_ok=True)
    context = None
    if "--cert" in opts:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(opts["--cert"], opts["--key"])
    user, password = opts.get("--user"), opts.get("--password")
    counter = {"n": 0}

    async def handle(reader, writer):
        with open(os.path.join(out, "connections.log"), "a") as log:
            log.write("connect\n")
        secured = False

        async def reply(line):
            writer.write((line + "\r\n").encode())
            await writer.drain()

        async def line():
            data = await reader.readline()
            if not data:
                raise ConnectionError("closed")
            return data.decode("utf-8", "replace").rstrip("\r\n")

        def authed(name):
            with open(os.path.join(out, "auth.log"), "a") as log:
                log.write(f"{name} secured={secured}\n")

        await reply("220 sink ready")
        sender, recipients = None, []
        try:
            while True:
                command = await line()
                verb = command.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    lines = ["250-sink"]
                    if context is not None and not secured:
                        lines.append("250-STARTTLS")
                    if user is not None and (secured or context is None):
                        lines.append("250-AUTH PLAIN LOGIN")
                    lines.append("250 SIZE 10485760")
                    for entry in lines:
                        await reply(entry)
                elif verb == "STARTTLS" and context is not None and not secured:
                    await reply("220 go ahead")
                    await writer.start_tls(context)
                    secured = True
                elif verb == "AUTH":
                    parts = command.split(" ")
                    if parts[1].upper() == "PLAIN":
                        decoded = base64.b64decode(parts[2]).split(b"\0")
                        ok = decoded[1].decode() == user and decoded[2].decode() == password
                        if ok:
                            authed("PLAIN")
                        await reply("235 ok" if ok else "535 bad credentials")
                    else:
                        await reply("334 VXNlcm5hbWU6")
                        u = base64.b64decode(await line()).decode()
                        await reply("334 UGFzc3dvcmQ6")
                        p = base64.b64decode(await line()).decode()
                        ok = u == user and p == password
                        if ok:
                            authed("LOGIN")
                        await reply("235 ok" if ok else "535 bad credentials")
                elif verb == "MAIL":
                    sender, recipients = command[10:].strip("<>"), []
                    await reply("250 ok")
                elif verb == "RCPT":
                    address = command[8:].strip("<>")
                    if address.startswith("bounce"):
                        await reply("550 5.1.1 no such user")
                    elif address.startswith("later"):
                        await reply("451 4.3.0 try again later")
                    else:
                        recipients.append(address)
                        await reply("250 ok")
                elif verb == "DATA":
                    if not recipients:
                        await reply("503 no recipients")
                        continue
                    await reply("354 end with .")
                    # The body up to the lone "." line, read in one piece (line by line, this sink could not keep up
                    # with the deliverer it measures), then dot-unstuffed.
                    first = await reader.readline()
                    if not first:
                        raise ConnectionError("closed")
                    data = b"\r\n\r\n" if first == b".\r\n" else b"\r\n" + first + (await reader.readuntil(b"\r\n.\r\n"))[:-3]
                    body = data.replace(b"\r\n..", b"\r\n.")[2:].decode("utf-8", "replace")
                    counter["n"] += 1
                    number = counter["n"]
                    with open(os.path.join(out, f"{number}.eml"), "w", newline="") as message:
                        message.write(f"X-Envelope-From: {sender}\r\nX-Envelope-To: {','.join(recipients)}\r\n" + body)
                    await reply(f"250 ok queued as Q{number}")
                elif verb == "RSET":
                    sender, recipients = None, []
                    await reply("250 ok")
                elif verb == "NOOP":
                    await reply("250 ok")
                elif verb == "QUIT":
                    await reply("221 bye")
                    break
                else:
                    await reply("502 not implemented")
        except (ConnectionError, ssl.SSLError, UnicodeDecodeError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def serve():
        server = await asyncio.start_server(handle, "127.0.0.1", 0, limit=64 * 1024 * 1024)
        print(server.sockets[0].getsockname()[1], flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


if __name__ == "__main__":
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    main()
