"""Elastic Desktop Service images and sharing. ECD publishes no error table for these
actions; ECD images are ECS images underneath, so ECS's codes are used where ECS has one
(docs/ecd.md). The shared share-account errors (InvalidAccount.*, QuotaExceed.ShareImageUser)
live in imageshare.errors.images.

ClientError                           400
  + IncorrectImageStatus              400 IncorrectImageStatus
  + ImageNameAlreadyExist             400 ImageNameAlreadyExist (imageshare.errors.images)
    + ImageNameTaken                      (the same code; the message names the parameter)
x OperationDenied                     403
  + SharedImageNotManageable          403 OperationDenied.SharedImage
  + EncryptedImageNotShareable        403 OperationDeined.EncryptedSnapshot
NotFound                              404
  + DesktopNotFound                   404 InvalidDesktopId.NotFound
"""

from __future__ import annotations

from imageshare.errors import ClientError, NotFound, ServiceError
from imageshare.errors.images import ImageNameAlreadyExist

__all__ = [
    "ImageNameTaken",
    "IncorrectImageStatus",
    "OperationDenied",
    "SharedImageNotManageable",
    "EncryptedImageNotShareable",
    "DesktopNotFound",
]


class ImageNameTaken(ImageNameAlreadyExist):
    """ImageNameAlreadyExist, saying which parameter (ImageName, Name, DestinationImageName)."""

    message_template = (
        'The image name already exists: {parameter} "{name}" is already the name of one of '
        "your images in {region_id}."
    )


class IncorrectImageStatus(ClientError):
    code = "IncorrectImageStatus"
    message_template = (
        "The specified ImageId {image_id} is not Available (still Creating, or its creation "
        "failed): wait until DescribeImages shows it Available."
    )


class OperationDenied(ServiceError):
    """The image exists and the caller sees it, but this operation is not allowed on it."""

    http_status = 403


class SharedImageNotManageable(OperationDenied):
    code = "OperationDenied.SharedImage"
    message_template = (
        "The specified ImageId {image_id} was shared with you by another account: "
        "only its owner can share, change, copy or delete it."
    )


class EncryptedImageNotShareable(OperationDenied):
    # ECS's code for the same refusal, its misspelling included: scripts match on it.
    code = "OperationDeined.EncryptedSnapshot"
    message_template = (
        "The image contains encrypted snapshots, which do not support share: "
        "the specified ImageId {image_id} is encrypted."
    )


class DesktopNotFound(NotFound):
    code = "InvalidDesktopId.NotFound"
    message_template = "The specified DesktopId {desktop_id} does not exist in this region."
