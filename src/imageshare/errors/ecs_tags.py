"""ECS tags (TagResources, UntagResources, ListTagResources), with the codes, statuses and
texts of the ECS API reference.

ClientError                                 400
  + TagKeyMalformed                         400 InvalidTagKey.Malformed
  + DuplicateTagKey                         400 Duplicate.TagKey
  + TagValueMalformed                       400 InvalidTagValue.Malformed
x OperationDenied (imageshare.errors.ecd)   403
  + TagQuotaExceeded                        403 OperationDenied.QuotaExceed
NotFound                                    404
  + ResourceNotFound                        404 InvalidResourceId.NotFound
  + InvalidResourceType                     404 InvalidResourceType.NotFound
"""

from __future__ import annotations

from imageshare.errors import ClientError, NotFound
from imageshare.errors.ecd import OperationDenied

__all__ = [
    "TagKeyMalformed",
    "DuplicateTagKey",
    "TagValueMalformed",
    "TagQuotaExceeded",
    "ResourceNotFound",
    "InvalidResourceType",
]


class TagKeyMalformed(ClientError):
    code = "InvalidTagKey.Malformed"
    message_template = "The specified Tag.n.Key is not valid."


class DuplicateTagKey(ClientError):
    code = "Duplicate.TagKey"
    message_template = "The Tag.N.Key contain duplicate key."


class TagValueMalformed(ClientError):
    code = "InvalidTagValue.Malformed"
    message_template = "The specified Tag.n.Value is not valid."


class TagQuotaExceeded(OperationDenied):
    code = "OperationDenied.QuotaExceed"
    message_template = "The quota of tags on resource is beyond permitted range."


class ResourceNotFound(NotFound):
    code = "InvalidResourceId.NotFound"
    message_template = "The specified ResourceIds are not found in our records."


class InvalidResourceType(NotFound):
    code = "InvalidResourceType.NotFound"
    message_template = "The ResourceType provided does not exist in our records."
