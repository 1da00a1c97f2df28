"""Location service (location 2015-06-12). The codes and messages are the ones the old SDK's
location resolver (aliyunsdkcore) recognises: it remembers an unknown product as such.

ClientError                           400
  + UnknownServiceCode                400 Illegal Parameter
"""

from __future__ import annotations

from imageshare.errors import ClientError

__all__ = ["UnknownServiceCode"]


class UnknownServiceCode(ClientError):
    code = "Illegal Parameter"
    message_template = "Please check the parameters"
