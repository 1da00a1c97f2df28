"""Authentication errors: the gateway's refusals of a request's signature, timestamp, access
key or security token (all 400). Where they sit in the error tree is drawn in the package
docstring (imageshare/errors/__init__.py), with the rest of the gateway's errors.
"""

from __future__ import annotations

from imageshare.errors import ClientError

__all__ = [
    "AccessKeyInactive",
    "AuthenticationError",
    "IncompleteSignature",
    "InvalidSignatureMethod",
    "SecurityTokenExpired",
    "SecurityTokenMalformed",
    "SecurityTokenMismatch",
    "SignatureDoesNotMatch",
    "SignatureNonceUsed",
    "TimestampExpired",
    "TimestampFormat",
]


class AuthenticationError(ClientError):
    pass


class IncompleteSignature(AuthenticationError):
    code = "IncompleteSignature"
    message_template = "The request signature does not conform to Aliyun standards. {reason}"


class InvalidSignatureMethod(AuthenticationError):
    code = "InvalidSignatureMethod"
    message_template = 'Specified signature method is not valid: "{method}".'


class SignatureDoesNotMatch(AuthenticationError):
    code = "SignatureDoesNotMatch"
    # The old Python SDK splits this message on ":" and compares the second part with its own
    # string to sign (aliyunsdkcore/client.py): the colon and what follows it are load-bearing.
    message_template = (
        "Specified signature is not matched with our calculation. "
        "server string to sign is:{string_to_sign}"
    )


class SignatureNonceUsed(AuthenticationError):
    code = "SignatureNonceUsed"
    message_template = "Specified signature nonce was used already."


class TimestampExpired(AuthenticationError):
    code = "InvalidTimeStamp.Expired"
    message_template = (
        "Specified time stamp or date value is expired. {value} is more than 15 minutes "
        "from the server time {now}: check the clock of the calling machine."
    )


class TimestampFormat(AuthenticationError):
    code = "InvalidTimeStamp.Format"
    message_template = (
        "Specified time stamp or date value is not well formatted. "
        '"{value}" should be UTC ISO 8601, YYYY-MM-DDThh:mm:ssZ.'
    )


class AccessKeyInactive(AuthenticationError):
    code = "InvalidAccessKeyId.Inactive"
    message_template = "Specified access key is disabled."


class SecurityTokenMalformed(AuthenticationError):
    # No gateway code says "not found": a token this server never issued is malformed to it.
    code = "InvalidSecurityToken.Malformed"
    message_template = "Specified SecurityToken is malformed: obtain one with STS AssumeRole."


class SecurityTokenExpired(AuthenticationError):
    code = "InvalidSecurityToken.Expired"
    message_template = "Specified SecurityToken is expired: obtain a new one with STS AssumeRole."


class SecurityTokenMismatch(AuthenticationError):
    code = "InvalidSecurityToken.MismatchWithAccessKey"
    message_template = "Specified SecurityToken mismatch with the AccessKey."
