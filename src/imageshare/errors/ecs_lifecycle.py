"""The ECS image lifecycle (CopyImage, CancelCopyImage, DeleteImage, ModifyImageAttribute),
with the codes, statuses and texts of the ECS API reference, misspellings included
("The Image are coping", "already bean used"): scripts match on them. An image that is not
available for a copy is IncorrectImageStatus (imageshare.errors.ecd), with ECS's text.

ClientError                                 400
  + ImageNameMalformed                      400 InvalidImageName.Malformed
  + ImageNameDuplicated                     400 InvalidImageName.Duplicated
  + DescriptionMalformed                    400 InvalidDescription.Malformed
  + ImageFamilyMalformed                    400 InvalidImageFamily.Malformed
  + BootModeNotSupported                    400 InvalidBootMode.NotSupport
  + LicenseTypeNotSupported                 400 InvalidLicenseType.NotSupported
  + EncryptedIllegal                        400 InvalidParameter.EncryptedIllegal
x OperationDenied (imageshare.errors.ecd)   403
  + ImageCopying                            403 OperationDenied.ImageCopying
  + SharedImageSameRegionOnly               403 OperationDenied.SameRegionOnly
  + ImageIsCreating                         403 ImageIsCreating
  + ImageStillCreating                      403 InvalidStatus.ImageIsCreating
  + ImageUseShared                          403 ImageUseShared
  + PublicImageNotDeletable                 403 ImageIsPublic
  + ImageNotDeprecated                      403 ImageStatus.NotDeprecated
  + ImageStatusNotAvailable                 403 ImageStatus.NotAvailable
"""

from __future__ import annotations

from imageshare.errors import ClientError
from imageshare.errors.ecd import OperationDenied

__all__ = [
    "ImageNameMalformed",
    "ImageNameDuplicated",
    "DescriptionMalformed",
    "ImageFamilyMalformed",
    "BootModeNotSupported",
    "LicenseTypeNotSupported",
    "EncryptedIllegal",
    "ImageCopying",
    "SharedImageSameRegionOnly",
    "ImageIsCreating",
    "ImageStillCreating",
    "ImageUseShared",
    "PublicImageNotDeletable",
    "ImageNotDeprecated",
    "ImageStatusNotAvailable",
]

# ModifyImageAttribute's texts for the same codes as CopyImage's.
NAME_RULES = (
    "Image names must be between 2 and 128 characters long, using either English or Chinese "
    "characters. The name must start with a letter or a Chinese character, and can include "
    "numbers, colons, underscores and hyphens."
)
NAME_USED = "The specified Image name has already bean used."
DESCRIPTION_MALFORMED = "The specified description is wrongly formed."
# DeleteImage's and ModifyImageAttribute's texts for ImageUseShared.
SHARED_NOT_DELETABLE = (
    "The specified image has been shared to others. "
    "You can use the DescribeImageSharePermission API to query the users who have been shared."
)
# CopyImage's and CancelCopyImage's text for IncorrectImageStatus.
NOT_AVAILABLE = "The image not available."


class ImageNameMalformed(ClientError):
    code = "InvalidImageName.Malformed"
    message_template = "The specified destination Image name is wrongly formed."


class ImageNameDuplicated(ClientError):
    # What a retried CopyImage meets (coreos-assembler#3634): the copy already exists.
    code = "InvalidImageName.Duplicated"
    message_template = "The destination image is exist."


class DescriptionMalformed(ClientError):
    code = "InvalidDescription.Malformed"
    message_template = "The specified destination description is wrongly formed."


class ImageFamilyMalformed(ClientError):
    code = "InvalidImageFamily.Malformed"
    message_template = 'The specified parameter "ImageFamily" is malformed.'


class BootModeNotSupported(ClientError):
    code = "InvalidBootMode.NotSupport"
    message_template = "The specified parameter BootMode is not supported."


class LicenseTypeNotSupported(ClientError):
    code = "InvalidLicenseType.NotSupported"
    message_template = "The specified parameter LicenseType is not supported."


class EncryptedIllegal(ClientError):
    code = "InvalidParameter.EncryptedIllegal"
    message_template = "The specified parameter Encrypted must be true when kmsKeyId is not empty."


class ImageCopying(OperationDenied):
    code = "OperationDenied.ImageCopying"
    message_template = "The image is being copied. Please use the CancelCopyImage API."


class SharedImageSameRegionOnly(OperationDenied):
    code = "OperationDenied.SameRegionOnly"
    message_template = "The image shared from others can not be copied to another region directly."


class ImageIsCreating(OperationDenied):
    code = "ImageIsCreating"
    message_template = "The specified image is being created."


class ImageStillCreating(OperationDenied):
    code = "InvalidStatus.ImageIsCreating"
    message_template = (
        "The operation cannot be performed because the image is creating. "
        "Please wait until the creation is complete and try again."
    )


class ImageUseShared(OperationDenied):
    code = "ImageUseShared"
    message_template = (
        "The specified image has been shared to others, please remove shared accounts first."
    )


class PublicImageNotDeletable(OperationDenied):
    code = "ImageIsPublic"
    message_template = "You can not delete public image, please modify it to private."


class ImageNotDeprecated(OperationDenied):
    code = "ImageStatus.NotDeprecated"
    message_template = "The specified image status is not deprecated."


class ImageStatusNotAvailable(OperationDenied):
    code = "ImageStatus.NotAvailable"
    message_template = "The specified image status is not available."
