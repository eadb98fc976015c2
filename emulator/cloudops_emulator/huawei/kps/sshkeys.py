"""SSH key material: generation, parsing, fingerprints (MD5 of the key blob, colon hex, as KPS
reports them) and private/public matching, with `cryptography`."""
import base64
import binascii
import hashlib

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

GENERATED_COMMENT = "Generated-by-Nova"


class KeyMaterialError(ValueError):
    """Unusable key material."""


def generate_rsa(bits=2048, pkcs8=False):
    """(PEM private key `BEGIN RSA PRIVATE KEY` (PKCS#1; `BEGIN PRIVATE KEY` with `pkcs8`),
    line `ssh-rsa … Generated-by-Nova\\n`)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.PKCS8 if pkcs8 else
                                serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode("ascii")
    return private, _openssh_line(key.public_key())


def generate_ed25519():
    """A public key line for bulk fixtures (ed25519 keys are cheap to make)."""
    return _openssh_line(ed25519.Ed25519PrivateKey.generate().public_key())


def _openssh_line(public_key):
    blob = public_key.public_bytes(serialization.Encoding.OpenSSH,
                                   serialization.PublicFormat.OpenSSH).decode("ascii")
    return "%s %s\n" % (blob, GENERATED_COMMENT)


def parse_public_key(line):
    """(key blob, algorithm label) of an OpenSSH public key line; KeyMaterialError if unusable."""
    if not isinstance(line, str) or not line.strip():
        raise KeyMaterialError("empty public key")
    parts = line.strip().split()
    if len(parts) < 2:
        raise KeyMaterialError("not an OpenSSH public key line")
    try:
        blob = base64.b64decode(parts[1], validate=True)
        key = serialization.load_ssh_public_key(("%s %s" % (parts[0], parts[1])).encode("ascii"))
    except (ValueError, binascii.Error, UnsupportedAlgorithm, UnicodeEncodeError):
        raise KeyMaterialError("not an OpenSSH public key line") from None
    return blob, algorithm_of(key)


def fingerprint(blob):
    digest = hashlib.md5(blob).hexdigest()  # nosec - the fingerprint format KPS reports
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


def algorithm_of(public_key):
    if isinstance(public_key, rsa.RSAPublicKey):
        return "RSA%d" % public_key.key_size
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return "ED25519"
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return "ECDSA%d" % public_key.curve.key_size
    return type(public_key).__name__


def private_matches(private_pem, public_line):
    """True when the PEM private key belongs to the public key; KeyMaterialError if unreadable."""
    if not isinstance(private_pem, str) or "PRIVATE KEY" not in private_pem:
        raise KeyMaterialError("not a PEM private key")
    try:
        key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm, UnicodeEncodeError):
        raise KeyMaterialError("not an unencrypted PEM private key") from None
    blob, _algorithm = parse_public_key(public_line)
    mine = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                         serialization.PublicFormat.OpenSSH).split()[1]
    return base64.b64decode(mine) == blob
