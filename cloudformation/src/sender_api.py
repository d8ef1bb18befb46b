"""The AWS operations mao-sender calls, as IAM actions, grouped by service.

This is the one list the sender's read-only role is built from: every
operation a collector or the pre-flight check calls (see docs: the sender's
collectors), and nothing else.  IAM spells two of them differently from the
API: S3 ListBuckets is s3:ListAllMyBuckets, and ELB v2 DescribeLoadBalancers is
elasticloadbalancing:DescribeLoadBalancers.

Uploading (s3:PutObject under data/<own account>/, kms:GenerateDataKey on the
analytics key) is granted separately, with its own conditions.
"""

# Actions whose resource can be narrowed to this account are listed with the
# resource pattern (after arn:${AWS::Partition}:); the rest take "*" because
# the service has no resource-level permissions for them.
READ_ONLY = {
    "sts": ["GetCallerIdentity"],
    "account": ["GetAccountInformation", "GetAlternateContact", "GetContactInformation"],
    "ce": ["GetCostAndUsage", "GetCostForecast", "GetReservationUtilization",
           "GetSavingsPlansUtilization"],
    "config": ["DescribeComplianceByConfigRule", "DescribeConfigurationRecorders",
               "DescribeConformancePackCompliance", "DescribeConformancePacks",
               "GetComplianceDetailsByConfigRule", "SelectResourceConfig"],
    "ssm": ["DescribeInstanceInformation", "DescribeInstancePatches", "ListInventoryEntries"],
    "securityhub": ["DescribeHub", "GetFindings"],
    "guardduty": ["GetFindings", "ListDetectors", "ListFindings"],
    "kms": ["DescribeKey", "GetKeyRotationStatus", "ListKeys"],
    "wafv2": ["GetLoggingConfiguration", "GetWebACL", "ListResourcesForWebACL", "ListWebACLs"],
    "cloudtrail": ["DescribeTrails", "GetTrailStatus", "LookupEvents"],
    "secretsmanager": ["ListSecrets"],
    "acm": ["DescribeCertificate", "ListCertificates"],
    "inspector2": ["ListFindings"],
    "support": ["DescribeCases", "DescribeTrustedAdvisorCheckResult",
                "DescribeTrustedAdvisorChecks"],
    "health": ["DescribeEvents"],
    "resiliencehub": ["DescribeApp", "DescribeAppVersionResourcesResolutionStatus",
                      "DescribeResiliencyPolicy", "ListApps", "ListTestRecommendations"],
    "compute-optimizer": ["GetEBSVolumeRecommendations", "GetEC2InstanceRecommendations",
                          "GetLambdaFunctionRecommendations"],
    "ec2": ["DescribeInstances", "DescribeRegions", "DescribeReservedInstances",
            "DescribeSubnets", "DescribeVolumes"],
    "rds": ["DescribeDBInstances", "DescribeReservedDBInstances"],
    "s3": ["ListAllMyBuckets"],
    "elasticloadbalancing": ["DescribeLoadBalancers"],
    "autoscaling": ["DescribeAutoScalingGroups"],
    "lambda": ["ListFunctions"],
    "savingsplans": ["DescribeSavingsPlans"],
    "iam": ["ListUsers"],
}

# Narrower resources where the service supports them.
RESOURCES = {
    "account": ["arn:${AWS::Partition}:account::${AWS::AccountId}:account"],
    "iam": ["arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*"],
}


def actions(service):
    return [f"{service}:{op}" for op in READ_ONLY[service]]


def all_actions():
    return sorted(a for service in READ_ONLY for a in actions(service))
