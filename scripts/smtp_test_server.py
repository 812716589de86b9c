#!/usr/bin/env python3
"""A real SMTP server for the tests (aiosmtpd): on 127.0.0.1, offering STARTTLS with a self-signed certificate for
localhost made at start, and AUTH PLAIN / LOGIN for one user over TLS only. Every mail it accepts is written to the
folder given as one JSON file (envelope sender and recipients, the message, whether TLS and which login were used).
When it listens it prints one JSON line: {"port": ..., "ca": "<the certificate's PEM file>"}; it stops when its
standard input closes (the test ends) or on SIGTERM.

    python3 scripts/smtp_test_server.py --dir OUT [--user U --password P] [--no-tls]
"""
import argparse
import datetime
import ipaddress
import json
import os
import socket
import ssl
import sys
import time
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def certificate(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = os.path.join(folder, "smtp-cert.pem"), os.path.join(folder, "smtp-key.pem")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


class Saver:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        auth = getattr(session, "auth_data", None)
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        record = {"mailFrom": envelope.mail_from, "rcptTos": envelope.rcpt_tos,
                  "data": envelope.original_content.decode("utf-8", "replace"),
                  "tls": session.ssl is not None, "login": login}
        name = "%020d-%s.json" % (time.time_ns(), uuid.uuid4().hex)
        tmp = os.path.join(self.folder, name + ".tmp")
        with open(tmp, "w") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.folder, name))
        return "250 OK"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--no-tls", action="store_true")
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    params = {}
    ca = None
    if not a.no_tls:
        ca, key = certificate(a.dir)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(ca, key)
        params.update(tls_context=context, require_starttls=True)
    if a.user:
        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == a.user and auth_data.password.decode() == a.password
            return AuthResult(success=ok, handled=False, auth_data=auth_data)
        params.update(authenticator=authenticate, auth_require_tls=not a.no_tls, auth_required=True)
    controller = Controller(Saver(a.dir), hostname="127.0.0.1", port=port, server_hostname="localhost", **params)
    controller.start()
    print(json.dumps({"port": port, "ca": ca}), flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
