"""Images and sharing (SWAS codes from its API metadata; the share-account codes are ECS's):

ClientError                           400
  + IllegalImageName                  400 InvalidParam.IllegalImageName
  + ImageNameAlreadyExist             400 ImageNameAlreadyExist
  + CustomImageQuotaLimit             400 CustomImageQuotaLimit
  + SystemSnapshotNotFound            400 InvalidParam.SystemSnapshotIdNotFound
  + DataSnapshotNotFound              400 InvalidParam.DataSnapshotIdNotFound
  + SystemSnapshotNotSupported        400 InvalidParam.SystemSnapshotIdNotSupport
  + CustomImageInShare                400 CustomImageInShare
  + ShareOperationIllegal             400 InvalidParam.OperationIllegal
  + InvalidImageType                  400 InvalidImageType.ValueNotSupported
  + InvalidPeriod                     400 InvalidPeriod.ValueNotSupported
  + InvalidAmount                     400 InvalidAmount.ValueNotSupported
  + InvalidDataDiskSize               400 InvalidDataDiskSize.ValueNotSupported
  + InvalidChargeType                 400 InvalidChargeType.ValueNotSupported
  + PlatformNotMatch                  400 PlatformNotMatch
  + PlanDiskTooSmall                  400 InvalidPlanIdSize.ValueNotSupported
  + InvalidSnapshotName               400 InvalidSnapshotName.ValueNotSupported
  + SnapshotNameDuplicate             400 InvalidSnapshotName.Duplicate
x QuotaExceeded                       403
  + SnapshotLimitExceed               403 SnapshotLimitExceed
  + ShareAccountLimitExceeded         403 QuotaExceed.ShareImageUser
  + ShareAcrossSites                  403 InvalidImageId.BidMismatch
NotFound                              404
  + ImageNotFound                     404 InvalidImageId.NotFound
  + PlanNotFound                      404 InvalidPlanId.NotFound
  + InstanceNotFound                  404 InvalidInstanceId.NotFound
  + DiskNotFound                      404 InvalidDiskId.NotFound
  + ShareAccountNotFound              404 InvalidAccount.NotFound
  + ShareAccountIsSelf                404 InvalidAccount.Forbbiden
"""

from __future__ import annotations

from imageshare.errors import ClientError, NotFound, ServiceError

__all__ = [
    "IllegalImageName",
    "ImageNameAlreadyExist",
    "CustomImageQuotaLimit",
    "SystemSnapshotNotFound",
    "DataSnapshotNotFound",
    "SystemSnapshotNotSupported",
    "CustomImageInShare",
    "ShareOperationIllegal",
    "InvalidImageType",
    "InvalidPeriod",
    "InvalidAmount",
    "InvalidDataDiskSize",
    "InvalidChargeType",
    "PlatformNotMatch",
    "PlanDiskTooSmall",
    "InvalidSnapshotName",
    "SnapshotNameDuplicate",
    "QuotaExceeded",
    "SnapshotLimitExceed",
    "ShareAccountLimitExceeded",
    "ShareAcrossSites",
    "ImageNotFound",
    "PlanNotFound",
    "InstanceNotFound",
    "DiskNotFound",
    "ShareAccountNotFound",
    "ShareAccountIsSelf",
]


class IllegalImageName(ClientError):
    code = "InvalidParam.IllegalImageName"
    message_template = "The specified parameter imageName is illegal."


class ImageNameAlreadyExist(ClientError):
    code = "ImageNameAlreadyExist"
    message_template = "The image name already exists."


class CustomImageQuotaLimit(ClientError):
    code = "CustomImageQuotaLimit"
    message_template = "The maximum number of custom image in this region is exceeded."


class SystemSnapshotNotFound(ClientError):
    code = "InvalidParam.SystemSnapshotIdNotFound"
    # Two spaces after "parameter": the service's own text.
    message_template = "The specified parameter  systemSnapshotId is not found."


class DataSnapshotNotFound(ClientError):
    code = "InvalidParam.DataSnapshotIdNotFound"
    message_template = "The specified parameter  dataSnapshotId is not found."


class SystemSnapshotNotSupported(ClientError):
    code = "InvalidParam.SystemSnapshotIdNotSupport"
    message_template = (
        "You cannot create custom images in the specified parameter system snapshotId."
    )


class CustomImageInShare(ClientError):
    code = "CustomImageInShare"
    message_template = (
        "The custom image is being shared. Please disable sharing first and then delete it."
    )


class ShareOperationIllegal(ClientError):
    code = "InvalidParam.OperationIllegal"
    message_template = "The specified parameter operation is illegal."


class InvalidImageType(ClientError):
    code = "InvalidImageType.ValueNotSupported"
    message_template = "The specified parameter ImageType is invalid."


class InvalidPeriod(ClientError):
    code = "InvalidPeriod.ValueNotSupported"
    message_template = "The specified parameter Period is invalid."


class InvalidAmount(ClientError):
    code = "InvalidAmount.ValueNotSupported"
    message_template = "The specified parameter Amount is invalid."


class InvalidDataDiskSize(ClientError):
    code = "InvalidDataDiskSize.ValueNotSupported"
    message_template = "The specified parameter DataDiskSize is invalid."


class InvalidChargeType(ClientError):
    code = "InvalidChargeType.ValueNotSupported"
    message_template = "The specified parameter ChargeType is invalid."


class PlatformNotMatch(ClientError):
    code = "PlatformNotMatch"
    message_template = "The platform of specified ImageId and PlanId does not match."


class PlanDiskTooSmall(ClientError):
    code = "InvalidPlanIdSize.ValueNotSupported"
    message_template = "The system disk size in the specified planId does not support the image."


class InvalidSnapshotName(ClientError):
    code = "InvalidSnapshotName.ValueNotSupported"
    message_template = "The specified SnapshotName is invalid."


class SnapshotNameDuplicate(ClientError):
    code = "InvalidSnapshotName.Duplicate"
    message_template = "The specified SnapshotName already exists."


class QuotaExceeded(ServiceError):
    http_status = 403


class SnapshotLimitExceed(QuotaExceeded):
    code = "SnapshotLimitExceed"
    message_template = "The maximum number of snapshots in an instance is exceeded."


class ShareAccountLimitExceeded(QuotaExceeded):
    code = "QuotaExceed.ShareImageUser"
    message_template = (
        "The shared Image user Quota exceeds: an image can be shared with at most {limit} accounts."
    )


class ShareAcrossSites(QuotaExceeded):
    code = "InvalidImageId.BidMismatch"
    message_template = "Cannot share the image with users {accounts} of other sites."


class ImageNotFound(NotFound):
    code = "InvalidImageId.NotFound"
    message_template = "The specified ImageId does not exist."


class PlanNotFound(NotFound):
    code = "InvalidPlanId.NotFound"
    message_template = "The specified PlanId does not exist."


class InstanceNotFound(NotFound):
    code = "InvalidInstanceId.NotFound"
    message_template = "The specified InstanceId does not exist."


class DiskNotFound(NotFound):
    code = "InvalidDiskId.NotFound"
    message_template = "The specified DiskId does not exist."


class ShareAccountNotFound(NotFound):
    code = "InvalidAccount.NotFound"
    message_template = 'The specified account {account} in parameter "Account.n" does not exist.'


class ShareAccountIsSelf(NotFound):
    # ECS's code and text for sharing with oneself, misspelling included: scripts match on it.
    code = "InvalidAccount.Forbbiden"
    message_template = "The specified Account does not yourself."
