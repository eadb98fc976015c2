"""A private CA and a server certificate for 127.0.0.1 / localhost, generated on demand.

`ensure_certificates(directory)` writes `ca.pem` (give it to clients as their CA bundle),
`ca-key.pem`, `server.pem` and `server-key.pem`. An existing CA is reused, so clients that
already trust it keep working across restarts; the server certificate is issued afresh.

Whoever can write the directory or plant a CA in it could read the server's traffic, so the
directory is created 0700 and refused when it is not a directory of our own that only we can
write; an existing CA is reused only when its files are ours, not writable by others, and the key
readable by us alone.
"""
import datetime
import ipaddress
import os
import stat
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SERVER_NAMES = ("localhost",)
SERVER_IPS = ("127.0.0.1", "::1")


class TLSDirectoryError(Exception):
    """The TLS directory, or a CA file in it, is not safe to use."""


def ensure_certificates(directory):
    """Create the files in `directory`; returns (ca_file, cert_file, key_file)."""
    _private_directory(directory)
    ca_file = os.path.join(directory, "ca.pem")
    ca_key_file = os.path.join(directory, "ca-key.pem")
    cert_file = os.path.join(directory, "server.pem")
    key_file = os.path.join(directory, "server-key.pem")
    if _reusable_ca(ca_file, ca_key_file):
        ca_cert, ca_key = _load(ca_file, ca_key_file)
    else:
        ca_cert, ca_key = _make_ca()
        _write_key(ca_key_file, ca_key)
        _write(ca_file, ca_cert.public_bytes(serialization.Encoding.PEM))
    cert, key = _make_server_cert(ca_cert, ca_key)
    _write_key(key_file, key)
    _write(cert_file, cert.public_bytes(serialization.Encoding.PEM)
           + ca_cert.public_bytes(serialization.Encoding.PEM))
    return ca_file, cert_file, key_file


def _private_directory(directory):
    try:
        os.makedirs(os.path.dirname(os.path.abspath(directory)), exist_ok=True)
        os.mkdir(directory, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(directory)
    if not stat.S_ISDIR(info.st_mode):
        raise TLSDirectoryError("%s is not a directory (a symbolic link or a file)" % directory)
    _check_owned_and_not_writable_by_others(directory, info)


def _check_owned_and_not_writable_by_others(path, info):
    if info.st_uid != os.geteuid():
        raise TLSDirectoryError("%s belongs to uid %d, not to this user (uid %d); use a path of "
                                "your own" % (path, info.st_uid, os.geteuid()))
    if info.st_mode & 0o022:
        raise TLSDirectoryError("%s is writable by group or others (mode %04o); it must not be"
                                % (path, stat.S_IMODE(info.st_mode)))


def _reusable_ca(ca_file, ca_key_file):
    """True when a CA of ours is there; False when none is; refuses a CA we cannot trust."""
    present = [path for path in (ca_file, ca_key_file) if os.path.lexists(path)]
    if not present:
        return False
    if len(present) == 1:
        raise TLSDirectoryError("%s is there without %s: not a CA this emulator made; remove it "
                                "or use another directory" % (present[0], os.path.basename(
                                    ca_key_file if present[0] == ca_file else ca_file)))
    for path in present:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            raise TLSDirectoryError("%s is not a regular file (a symbolic link?)" % path)
        _check_owned_and_not_writable_by_others(path, info)
    key_mode = stat.S_IMODE(os.lstat(ca_key_file).st_mode)
    if key_mode & 0o077:
        raise TLSDirectoryError("%s is readable by group or others (mode %04o); it must be 0600"
                                % (ca_key_file, key_mode))
    return True


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _make_ca():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cloudops-emulator local CA")])
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_now() - datetime.timedelta(days=1))
            .not_valid_after(_now() + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True,
                                         crl_sign=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    return cert, key


def _make_server_cert(ca_cert, ca_key):
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName(n) for n in SERVER_NAMES]
    names += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in SERVER_IPS]
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_now() - datetime.timedelta(days=1))
            .not_valid_after(_now() + datetime.timedelta(days=825))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    return cert, key


def _load(cert_file, key_file):
    with open(cert_file, "rb") as handle:
        cert = x509.load_pem_x509_certificate(handle.read())
    with open(key_file, "rb") as handle:
        key = serialization.load_pem_private_key(handle.read(), password=None)
    return cert, key


def _write(path, data, mode=0o644):
    # A new file of a random name (mkstemp: O_EXCL|O_NOFOLLOW, mode 0600), given its final mode,
    # then renamed into place: never briefly readable by others, never written through a link.
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix="." + os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), mode)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _write_key(path, key):
    _write(path, key.private_bytes(serialization.Encoding.PEM,
                                   serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()), mode=0o600)
