"""The building blocks of the MAO templates.

Every template in cloudformation/ is assembled from these parts by
cloudformation/generate (see templates.py for which template takes which
parts).  A part is a function returning a dict with any of the keys
Parameters, Conditions, Resources, Outputs, Metadata; parts are merged key by
key and a name defined twice is an error.
"""

from cfn import (NO_VALUE, arn, getatt, if_, join, managed_policy, policy, ref,
                 role, select, statement, sub, tags)
import sender_api

DB_PORT = 5432


# ---------------------------------------------------------------------------
# Parameters

def account_metadata_parameters():
    """The five descriptive settings each sender writes into its document."""
    return {"Parameters": {
        "Category": {"Type": "String", "Default": "Internet",
                     "AllowedValues": ["Internet", "Intranet", "Both"],
                     "Description": "Whether the account faces the Internet, an intranet or both"},
        "CustomerName": {"Type": "String", "Default": "", "MaxLength": 128,
                         "Description": "Customer name for the account (spare field)"},
        "Environment": {"Type": "String", "Default": "Production", "MaxLength": 64,
                        "Description": "Environment type (Production, UAT, Development, ...)"},
        "PartnerName": {"Type": "String", "Default": "", "MaxLength": 128,
                        "Description": "Partner (vendor) name for the account"},
        "ProductName": {"Type": "String", "Default": "", "MaxLength": 128,
                        "Description": "Product, workload or application running in the account"},
    }}


def analytics_parameters():
    return {
        "Parameters": {
            "S3BucketName": {
                "Type": "String", "AllowedPattern": "^[a-z0-9][a-z0-9.-]{1,50}[a-z0-9]$",
                "ConstraintDescription": "lower-case letters, digits, dots and hyphens; 3 to 52 characters",
                "Description": "Base name of the buckets: <name>-data and <name>-logs are created (lower case, globally unique)"},
            "SenderAccounts": {
                "Type": "CommaDelimitedList", "Default": "",
                "Description": "AWS account ids allowed to send data (comma-separated); leave empty when OrganizationId is set"},
            "OrganizationId": {
                "Type": "String", "Default": "", "AllowedPattern": "^(o-[a-z0-9]{10,32})?$",
                "Description": "Optional: allow every account of this AWS Organization to send (o-...), instead of the SenderAccounts list"},
            "VpcCidr": {"Type": "String", "Default": "10.60.0.0/16",
                        "AllowedPattern": r"^(\d{1,3}\.){3}\d{1,3}/(1[6-9]|2[0-4])$",
                        "Description": "CIDR block of the analytics VPC (/16 to /24)"},
        },
        "Conditions": {
            "UseOrganization": {"Fn::Not": [{"Fn::Equals": [ref("OrganizationId"), ""]}]},
        },
        "Rules": {
            "SendersNamed": {"Assertions": [{
                "Assert": {"Fn::Or": [{"Fn::Not": [{"Fn::Equals": [ref("OrganizationId"), ""]}]},
                                      {"Fn::Not": [{"Fn::Contains": [ref("SenderAccounts"), ""]}]}]},
                "AssertDescription": "Give SenderAccounts (account ids, no empty entries) or OrganizationId"}]},
        },
    }


# ---------------------------------------------------------------------------
# Network: a VPC with two private subnets, no Internet gateway, endpoints for
# the AWS services the receivers use.

def network(interface_endpoints):
    res = {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {
            "CidrBlock": ref("VpcCidr"), "EnableDnsHostnames": True, "EnableDnsSupport": True,
            "Tags": tags("vpc")}},
        "PrivateRouteTable": {"Type": "AWS::EC2::RouteTable", "Properties": {
            "VpcId": ref("Vpc"), "Tags": tags("private")}},
        "EndpointSecurityGroup": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "HTTPS from inside the VPC to the interface endpoints",
            "VpcId": ref("Vpc"),
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                      "CidrIp": ref("VpcCidr"), "Description": "HTTPS from the VPC"}],
            "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "127.0.0.1/32",
                                     "Description": "no outbound traffic"}],
            "Tags": tags("endpoints")}},
        "S3Endpoint": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {
            "VpcId": ref("Vpc"), "VpcEndpointType": "Gateway",
            "ServiceName": sub("com.amazonaws.${AWS::Region}.s3"),
            "RouteTableIds": [ref("PrivateRouteTable")]}},
        "FlowLog": {"Type": "AWS::EC2::FlowLog", "DependsOn": "LogsBucketPolicy", "Properties": {
            "ResourceId": ref("Vpc"), "ResourceType": "VPC", "TrafficType": "ALL",
            "LogDestinationType": "s3",
            "LogDestination": sub("${LogsBucket.Arn}/vpc-flow-logs/"),
            "Tags": tags("flow-log")}},
    }
    for i in (0, 1):
        name = f"PrivateSubnet{i + 1}"
        res[name] = {"Type": "AWS::EC2::Subnet", "Properties": {
            "VpcId": ref("Vpc"),
            "AvailabilityZone": select(i, {"Fn::GetAZs": ""}),
            "CidrBlock": select(i, {"Fn::Cidr": [ref("VpcCidr"), 4, 8]}),
            "MapPublicIpOnLaunch": False,
            "Tags": tags(f"private-{i + 1}")}}
        res[f"{name}RouteTable"] = {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {
            "SubnetId": ref(name), "RouteTableId": ref("PrivateRouteTable")}}
    for service in interface_endpoints:
        name = "".join(p.capitalize() for p in service.split("-")) .replace("Ssm", "SSM").replace("Kms", "KMS").replace("Sts", "STS")
        res[f"{name}Endpoint"] = {"Type": "AWS::EC2::VPCEndpoint", "Properties": {
            "VpcId": ref("Vpc"), "VpcEndpointType": "Interface", "PrivateDnsEnabled": True,
            "ServiceName": sub("com.amazonaws.${AWS::Region}." + service),
            "SubnetIds": [ref("PrivateSubnet1"), ref("PrivateSubnet2")],
            "SecurityGroupIds": [ref("EndpointSecurityGroup")]}}
    return {"Resources": res, "Outputs": {
        "VpcId": {"Description": "VPC for the QuickSight VPC connection",
                  "Value": ref("Vpc"), "Export": {"Name": sub("${AWS::StackName}-VpcId")}},
        "PrivateSubnetIds": {"Description": "Private subnets (choose both for the QuickSight VPC connection)",
                             "Value": join(",", [ref("PrivateSubnet1"), ref("PrivateSubnet2")])},
    }}


# ---------------------------------------------------------------------------
# KMS: the analytics key.  Senders may only ask it for data keys bound to
# their own account (encryption context mao:account = the calling account);
# S3 may use it for the buckets' default encryption on their behalf, for the
# data bucket only.

def sender_principal_and_condition(extra):
    """Principal and conditions that admit sender accounts: the explicit
    list, or any account of the organisation."""
    listed = {"Principal": {"AWS": ref("SenderAccounts")}, "Condition": extra}
    org = {"Principal": {"AWS": "*"},
           "Condition": dict(extra, **{"StringEquals": dict(extra.get("StringEquals", {}),
                                                              **{"aws:PrincipalOrgID": ref("OrganizationId")})})}
    return listed, org


def kms_key():
    own_context = {"StringEquals": {"kms:EncryptionContext:mao:account": "${aws:PrincipalAccount}"}}
    via_s3 = {"StringEquals": {"kms:ViaService": sub("s3.${AWS::Region}.amazonaws.com"),
                               "kms:EncryptionContext:aws:s3:arn": sub("arn:${AWS::Partition}:s3:::${S3BucketName}-data")}}
    statements = [
        statement("AccountAdministration", "kms:*", "*",
                  principal={"AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")}),
    ]
    for sid, actions, cond in (
            ("SendersDataKeysForTheirOwnAccount", ["kms:GenerateDataKey"], own_context),
            ("SendersUploadThroughS3", ["kms:GenerateDataKey"], via_s3)):
        listed, org = sender_principal_and_condition(cond)
        statements.append(if_("UseOrganization",
                              dict({"Sid": sid, "Effect": "Allow"}, **org, Action=actions, Resource="*"),
                              dict({"Sid": sid, "Effect": "Allow"}, **listed, Action=actions, Resource="*")))
    statements.append(statement(
        "VpcFlowLogDelivery", ["kms:GenerateDataKey*", "kms:Decrypt"], "*",
        principal={"Service": "delivery.logs.amazonaws.com"},
        condition={"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}}))
    return {"Resources": {
        "AnalyticsKey": {"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                         "Properties": {
                             "Description": "MAO analytics key: sender envelopes, buckets, database, secret",
                             "EnableKeyRotation": True, "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT",
                             "KeyPolicy": policy(*statements), "Tags": tags("key")}},
        "AnalyticsKeyAlias": {"Type": "AWS::KMS::Alias", "Properties": {
            "AliasName": sub("alias/${AWS::StackName}-analytics"), "TargetKeyId": ref("AnalyticsKey")}},
    }, "Outputs": {
        "KMSKeyArn": {"Description": "Analytics KMS key (AnalyticsKMSKey of the sender stacks)",
                      "Value": getatt("AnalyticsKey", "Arn"), "Export": {"Name": sub("${AWS::StackName}-KMSKeyArn")}},
    }}


# ---------------------------------------------------------------------------
# Buckets: <name>-data (sender uploads, loaded/, failed/, packages) and
# <name>-logs (VPC flow logs).  Both TLS-only, SSE-KMS with the analytics
# key, versioned, public access blocked, ACLs disabled.

def _bucket(suffix, extra=None):
    props = {
        "BucketName": sub("${S3BucketName}-" + suffix),
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [{
            "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                              "KMSMasterKeyID": getatt("AnalyticsKey", "Arn")},
            "BucketKeyEnabled": True}]},
        "VersioningConfiguration": {"Status": "Enabled"},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                           "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "LifecycleConfiguration": {"Rules": [{
            "Id": "expire-old-versions", "Status": "Enabled",
            "NoncurrentVersionExpiration": {"NoncurrentDays": 90},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]},
        "Tags": tags(suffix),
    }
    props.update(extra or {})
    return {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": props}


def _deny_insecure(bucket):
    return statement("DenyInsecureTransport", "s3:*",
                     [getatt(bucket, "Arn"), sub("${" + bucket + ".Arn}/*")], effect="Deny",
                     principal={"AWS": "*"}, condition={"Bool": {"aws:SecureTransport": "false"}})


def buckets(data_bucket_extra=None, notification_depends=None):
    own_prefix = sub("${DataBucket.Arn}/data/${!aws:PrincipalAccount}/*")
    listed, org = sender_principal_and_condition({})
    put = {"Sid": "SendersPutUnderTheirOwnAccount", "Effect": "Allow",
           "Action": "s3:PutObject", "Resource": own_prefix}
    wrong_key = statement(
        "DenyOtherEncryptionKeys", "s3:PutObject", sub("${DataBucket.Arn}/*"), effect="Deny",
        principal={"AWS": "*"},
        condition={"StringNotEqualsIfExists": {
            "s3:x-amz-server-side-encryption-aws-kms-key-id": getatt("AnalyticsKey", "Arn")}})
    wrong_algorithm = statement(
        "DenyOtherEncryption", "s3:PutObject", sub("${DataBucket.Arn}/*"), effect="Deny",
        principal={"AWS": "*"},
        condition={"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}})
    data_policy = policy(
        _deny_insecure("DataBucket"), wrong_algorithm, wrong_key,
        if_("UseOrganization", dict(put, Principal=org["Principal"], Condition=org["Condition"]),
            dict(put, Principal=listed["Principal"])))
    logs_policy = policy(
        _deny_insecure("LogsBucket"),
        statement("FlowLogsAclCheck", ["s3:GetBucketAcl"], getatt("LogsBucket", "Arn"),
                  principal={"Service": "delivery.logs.amazonaws.com"},
                  condition={"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}}),
        statement("FlowLogsWrite", ["s3:PutObject"],
                  sub("${LogsBucket.Arn}/vpc-flow-logs/AWSLogs/${AWS::AccountId}/*"),
                  principal={"Service": "delivery.logs.amazonaws.com"},
                  condition={"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}}))
    data = _bucket("data", data_bucket_extra)
    if notification_depends:
        data["DependsOn"] = notification_depends
    return {"Resources": {
        "DataBucket": data,
        "LogsBucket": _bucket("logs"),
        "DataBucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": ref("DataBucket"), "PolicyDocument": data_policy}},
        "LogsBucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": ref("LogsBucket"), "PolicyDocument": logs_policy}},
    }, "Outputs": {
        "S3Bucket": {"Description": "Data bucket (S3Bucket of the sender stacks)",
                     "Value": ref("DataBucket"), "Export": {"Name": sub("${AWS::StackName}-S3Bucket")}},
        "LogsBucket": {"Description": "Logs bucket (VPC flow logs)", "Value": ref("LogsBucket")},
    }}


# ---------------------------------------------------------------------------
# Security groups shared by the database options.

def security_groups():
    return {"Resources": {
        "DatabaseSecurityGroup": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "PostgreSQL: from the receiver and QuickSight only",
            "VpcId": ref("Vpc"),
            "SecurityGroupIngress": [
                {"IpProtocol": "tcp", "FromPort": DB_PORT, "ToPort": DB_PORT,
                 "SourceSecurityGroupId": ref("ReceiverSecurityGroup"), "Description": "receiver"},
                {"IpProtocol": "tcp", "FromPort": DB_PORT, "ToPort": DB_PORT,
                 "SourceSecurityGroupId": ref("QuickSightSecurityGroup"), "Description": "QuickSight"}],
            "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                     "CidrIp": ref("VpcCidr"), "Description": "HTTPS to the VPC endpoints"}],
            "Tags": tags("database")}},
        "ReceiverSecurityGroup": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "MAO receiver: PostgreSQL and HTTPS to the VPC endpoints",
            "VpcId": ref("Vpc"),
            "SecurityGroupEgress": [
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": ref("VpcCidr"),
                 "Description": "HTTPS to the interface endpoints"},
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0",
                 "Description": "HTTPS to S3 through the gateway endpoint (no Internet route exists)"},
                {"IpProtocol": "tcp", "FromPort": DB_PORT, "ToPort": DB_PORT, "CidrIp": ref("VpcCidr"),
                 "Description": "PostgreSQL"}],
            "Tags": tags("receiver")}},
        "QuickSightSecurityGroup": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "QuickSight VPC connection: PostgreSQL to the database",
            "VpcId": ref("Vpc"),
            "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": DB_PORT, "ToPort": DB_PORT,
                                     "CidrIp": ref("VpcCidr"), "Description": "PostgreSQL"}],
            "Tags": tags("quicksight")}},
        # QuickSight's network interfaces need the database's replies let in.
        "QuickSightFromDatabase": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
            "GroupId": ref("QuickSightSecurityGroup"), "IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535,
            "SourceSecurityGroupId": ref("DatabaseSecurityGroup"),
            "Description": "return traffic from the database"}},
    }, "Outputs": {
        "QuickSightSecurityGroupId": {"Description": "Security group for the QuickSight VPC connection",
                                      "Value": ref("QuickSightSecurityGroup")},
        "ReceiverSecurityGroupId": {"Description": "Security group of the receiver",
                                    "Value": ref("ReceiverSecurityGroup")},
    }}


# ---------------------------------------------------------------------------
# Aurora PostgreSQL Serverless v2, its master secret managed by RDS and
# encrypted with the analytics key.

def aurora():
    return {"Parameters": {
        "DatabaseName": {"Type": "String", "Default": "core", "AllowedPattern": "^[a-z][a-z0-9_]{0,62}$",
                         "Description": "Database the views live in (QuickSight data sets read schema public)"},
        "AuroraMinCapacity": {"Type": "Number", "Default": 0.5, "MinValue": 0, "MaxValue": 256,
                              "Description": "Serverless v2 minimum ACUs (0 lets the cluster pause)"},
        "AuroraMaxCapacity": {"Type": "Number", "Default": 4, "MinValue": 1, "MaxValue": 256,
                              "Description": "Serverless v2 maximum ACUs"},
    }, "Resources": {
        "DatabaseSubnetGroup": {"Type": "AWS::RDS::DBSubnetGroup", "Properties": {
            "DBSubnetGroupDescription": "MAO private subnets",
            "SubnetIds": [ref("PrivateSubnet1"), ref("PrivateSubnet2")]}},
        "AuroraCluster": {"Type": "AWS::RDS::DBCluster", "DeletionPolicy": "Snapshot",
                          "UpdateReplacePolicy": "Snapshot", "Properties": {
            "Engine": "aurora-postgresql", "EngineVersion": "16.6",
            "DatabaseName": ref("DatabaseName"), "Port": DB_PORT,
            "MasterUsername": "postgres", "ManageMasterUserPassword": True,
            "MasterUserSecret": {"KmsKeyId": ref("AnalyticsKey")},
            "ServerlessV2ScalingConfiguration": {"MinCapacity": ref("AuroraMinCapacity"),
                                                 "MaxCapacity": ref("AuroraMaxCapacity")},
            "StorageEncrypted": True, "KmsKeyId": ref("AnalyticsKey"),
            "EnableHttpEndpoint": True, "DeletionProtection": True,
            "BackupRetentionPeriod": 7, "CopyTagsToSnapshot": True,
            "EnableCloudwatchLogsExports": ["postgresql"],
            "DBSubnetGroupName": ref("DatabaseSubnetGroup"),
            "VpcSecurityGroupIds": [ref("DatabaseSecurityGroup")],
            "Tags": tags("aurora")}},
        "AuroraInstance": {"Type": "AWS::RDS::DBInstance", "Properties": {
            "DBClusterIdentifier": ref("AuroraCluster"), "DBInstanceClass": "db.serverless",
            "Engine": "aurora-postgresql", "PubliclyAccessible": False,
            "AutoMinorVersionUpgrade": True, "Tags": tags("aurora-1")}},
    }, "Outputs": {
        "AuroraClusterArn": {"Description": "Aurora cluster ARN (query editor, MAO-QS-Migration)",
                             "Value": getatt("AuroraCluster", "DBClusterArn")},
        "AuroraEndpoint": {"Description": "Aurora writer endpoint (QuickSight data source: database server)",
                           "Value": getatt("AuroraCluster", "Endpoint.Address")},
        "AuroraSecretArn": {"Description": "Secret with the postgres user's password",
                            "Value": getatt("AuroraCluster", "MasterUserSecret.SecretArn")},
        "DatabaseName": {"Description": "Database name", "Value": ref("DatabaseName")},
    }}


# ---------------------------------------------------------------------------
# Receiver permissions, shared by the Lambda and the EC2 receivers: read and
# delete under data/, write under loaded/ and failed/, decrypt with the
# analytics key through envelopes, read the database secret.

DATA_BUCKET_ARN = sub("arn:${AWS::Partition}:s3:::${S3BucketName}-data")


def receiver_statements(secret_arn):
    """By bucket name, not Ref: in A360-Analytics.yaml the bucket depends on
    the function (its S3 notification)."""
    return [
        statement("ListTheQueue", ["s3:ListBucket"], DATA_BUCKET_ARN,
                  condition={"StringLike": {"s3:prefix": ["data/*", "loaded/*", "failed/*"]}}),
        statement("TakeObjects", ["s3:GetObject", "s3:DeleteObject"], sub("arn:${AWS::Partition}:s3:::${S3BucketName}-data/data/*")),
        statement("FileObjects", ["s3:PutObject", "s3:GetObject"],
                  [sub("arn:${AWS::Partition}:s3:::${S3BucketName}-data/loaded/*"), sub("arn:${AWS::Partition}:s3:::${S3BucketName}-data/failed/*")]),
        statement("OpenEnvelopes", ["kms:Decrypt"], getatt("AnalyticsKey", "Arn")),
        statement("EncryptFiledCopies", ["kms:GenerateDataKey"], getatt("AnalyticsKey", "Arn"),
                  condition={"StringEquals": {"kms:ViaService": sub("s3.${AWS::Region}.amazonaws.com")}}),
        statement("DatabaseSecret", ["secretsmanager:GetSecretValue"], secret_arn),
    ]


def code_parameters(what, default_key):
    return {"Parameters": {
        "CodeBucket": {"Type": "String", "AllowedPattern": "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
                       "Description": "Bucket in this region holding the deployment packages (make package)"},
        f"{what}CodeKey": {"Type": "String", "Default": default_key,
                           "Description": f"Key of the {what.lower()} package in CodeBucket"},
    }}


def lambda_receiver():
    secret = getatt("AuroraCluster", "MasterUserSecret.SecretArn")
    env = {
        "MAO_BUCKET": sub("${S3BucketName}-data"), "MAO_PREFIX": "data/",
        "MAO_KEYRING": sub("aws-kms:${AnalyticsKey.Arn}"),
        "MAO_DB_SECRET_ARN": secret,
        "PGHOST": getatt("AuroraCluster", "Endpoint.Address"), "PGPORT": str(DB_PORT),
        "PGDATABASE": ref("DatabaseName"), "PGSSLMODE": "require",
    }
    part = code_parameters("Receiver", "packages/mao-runner-lambda-arm64.zip")
    part["Resources"] = {
        "ReceiverLogGroup": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Delete",
                             "UpdateReplacePolicy": "Delete", "Properties": {
            "LogGroupName": sub("/aws/lambda/${AWS::StackName}-receiver"), "RetentionInDays": 90}},
        "ReceiverRole": role(
            "MAO receiver Lambda", "lambda.amazonaws.com",
            receiver_statements(secret) + [
                statement("Logs", ["logs:CreateLogStream", "logs:PutLogEvents"],
                          getatt("ReceiverLogGroup", "Arn"))],
            managed=[managed_policy("service-role/AWSLambdaVPCAccessExecutionRole")],
            name_sid="MaoReceiver"),
        "ReceiverFunction": {"Type": "AWS::Lambda::Function", "Properties": {
            "FunctionName": sub("${AWS::StackName}-receiver"),
            "Description": "MAO receiver: mao-runner drains data/ into the database (S3 events and a daily sweep)",
            "Runtime": "provided.al2023", "Handler": "bootstrap", "Architectures": ["arm64"],
            "Code": {"S3Bucket": ref("CodeBucket"), "S3Key": ref("ReceiverCodeKey")},
            "Role": getatt("ReceiverRole", "Arn"), "MemorySize": 1024, "Timeout": 900,
            # One drain at a time; S3 events that arrive meanwhile are retried
            # by Lambda, and the daily sweep takes whatever is left.
            "ReservedConcurrentExecutions": 1,
            "Environment": {"Variables": env},
            "VpcConfig": {"SubnetIds": [ref("PrivateSubnet1"), ref("PrivateSubnet2")],
                          "SecurityGroupIds": [ref("ReceiverSecurityGroup")]},
            "LoggingConfig": {"LogGroup": ref("ReceiverLogGroup")},
            "Tags": tags("receiver")}},
        "ReceiverS3Permission": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": ref("ReceiverFunction"), "Action": "lambda:InvokeFunction",
            "Principal": "s3.amazonaws.com", "SourceAccount": ref("AWS::AccountId"),
            "SourceArn": sub("arn:${AWS::Partition}:s3:::${S3BucketName}-data")}},
        "DailySweepRule": {"Type": "AWS::Events::Rule", "Properties": {
            "Description": "MAO: drain anything left in data/ once a day",
            "ScheduleExpression": "rate(24 hours)", "State": "ENABLED",
            "Targets": [{"Id": "receiver", "Arn": getatt("ReceiverFunction", "Arn")}]}},
        "DailySweepPermission": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": ref("ReceiverFunction"), "Action": "lambda:InvokeFunction",
            "Principal": "events.amazonaws.com", "SourceArn": getatt("DailySweepRule", "Arn")}},
    }
    part["Outputs"] = {"ReceiverFunctionName": {"Description": "Receiver Lambda function",
                                                "Value": ref("ReceiverFunction")}}
    return part


def s3_to_lambda_notification():
    return {"NotificationConfiguration": {"LambdaConfigurations": [{
        "Event": "s3:ObjectCreated:*", "Function": getatt("ReceiverFunction", "Arn"),
        "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "data/"}]}}}]}}


def _instance(name, instance_type, role_statements, user_data, security_group, volume_gb):
    """An EC2 instance in a private subnet, reachable only through Session
    Manager: IMDSv2 only, encrypted root volume, no key pair."""
    return {
        f"{name}Role": role(f"MAO {name} instance", "ec2.amazonaws.com", role_statements,
                            managed=[managed_policy("AmazonSSMManagedInstanceCore")], name_sid=f"Mao{name}"),
        f"{name}InstanceProfile": {"Type": "AWS::IAM::InstanceProfile", "Properties": {
            "Roles": [ref(f"{name}Role")]}},
        f"{name}LaunchTemplate": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {
            "LaunchTemplateData": {
                "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled",
                                    "HttpPutResponseHopLimit": 1},
                "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {
                    "VolumeSize": volume_gb, "VolumeType": "gp3", "Encrypted": True,
                    "KmsKeyId": getatt("AnalyticsKey", "Arn"), "DeleteOnTermination": True}}]}}},
        f"{name}Instance": {"Type": "AWS::EC2::Instance", "Properties": {
            "ImageId": ref("AmiId"), "InstanceType": instance_type,
            "LaunchTemplate": {"LaunchTemplateId": ref(f"{name}LaunchTemplate"),
                               "Version": getatt(f"{name}LaunchTemplate", "LatestVersionNumber")},
            "IamInstanceProfile": ref(f"{name}InstanceProfile"),
            "SubnetId": ref("PrivateSubnet1"), "SecurityGroupIds": [security_group],
            "UserData": {"Fn::Base64": sub(user_data)},
            "Tags": tags(name.lower())}},
    }


AMI_PARAMETER = {"AmiId": {
    "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
    "Default": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    "Description": "Amazon Linux 2023 arm64 image (Graviton)"}}


def ec2_receiver():
    secret = getatt("AuroraCluster", "MasterUserSecret.SecretArn")
    user_data = """#!/bin/bash
# Installs mao-runner from its deployment package (once, at first boot).
set -euo pipefail
dnf install -y -q libpq libcurl openssl-libs zlib unzip
aws s3 cp "s3://${CodeBucket}/${ReceiverCodeKey}" /tmp/mao-runner.zip
unzip -o /tmp/mao-runner.zip -d /opt/mao
install -m 0755 /opt/mao/mao-runner /usr/local/bin/mao-runner
cat >/etc/mao-runner.env <<EOF
MAO_BUCKET=${DataBucket}
MAO_KEYRING=aws-kms:${AnalyticsKey.Arn}
MAO_DB_SECRET_ARN=${AuroraCluster.MasterUserSecret.SecretArn}
PGHOST=${AuroraCluster.Endpoint.Address}
PGDATABASE=${DatabaseName}
PGSSLMODE=require
AWS_REGION=${AWS::Region}
EOF
"""
    part = code_parameters("Receiver", "packages/mao-runner-linux-arm64.zip")
    part["Parameters"].update(AMI_PARAMETER)
    stmts = receiver_statements(secret) + [
        statement("ReceiverPackage", ["s3:GetObject"], sub("arn:${AWS::Partition}:s3:::${CodeBucket}/${ReceiverCodeKey}"))]
    part["Resources"] = _instance("Receiver", "t4g.micro", stmts, user_data, ref("ReceiverSecurityGroup"), 8)
    part["Resources"]["ReceiverSchedule"] = {"Type": "AWS::SSM::Association", "Properties": {
        "AssociationName": sub("${AWS::StackName}-receiver-daily"),
        "Name": "AWS-RunShellScript",
        "ScheduleExpression": "cron(0 3 * * ? *)",
        "Targets": [{"Key": "InstanceIds", "Values": [ref("ReceiverInstance")]}],
        "Parameters": {"commands": ["set -a; . /etc/mao-runner.env; set +a; /usr/local/bin/mao-runner run"],
                       "executionTimeout": ["3600"]},
        "ApplyOnlyAtCronInterval": True}}
    part["Outputs"] = {"ReceiverInstanceId": {"Description": "Receiver instance (Session Manager)",
                                              "Value": ref("ReceiverInstance")}}
    return part


def postgres_ec2():
    """PostgreSQL on an EC2 instance with the mao extension and its worker."""
    user_data = """#!/bin/bash
# PostgreSQL 15 with the mao extension; the background worker drains the bucket.
set -euo pipefail
dnf install -y -q postgresql15-server postgresql15-contrib libcurl openssl-libs zlib unzip jq
aws s3 cp "s3://${CodeBucket}/${ExtensionCodeKey}" /tmp/mao-extension.zip
unzip -o /tmp/mao-extension.zip -d /opt/mao
(cd /opt/mao && ./install.sh)
postgresql-setup --initdb
cat >>/var/lib/pgsql/data/postgresql.conf <<EOF
listen_addresses = '*'
ssl = on
shared_preload_libraries = 'mao'
mao.bucket = '${DataBucket}'
mao.prefix = 'data/'
mao.region = '${AWS::Region}'
mao.database = '${DatabaseName}'
mao.keyring = 'aws-kms:${AnalyticsKey.Arn}'
EOF
cat >>/var/lib/pgsql/data/pg_hba.conf <<EOF
hostssl ${DatabaseName} all ${VpcCidr} scram-sha-256
EOF
openssl req -new -x509 -days 3650 -nodes -subj "/CN=mao-postgres" \\
  -keyout /var/lib/pgsql/data/server.key -out /var/lib/pgsql/data/server.crt
chown postgres:postgres /var/lib/pgsql/data/server.*; chmod 600 /var/lib/pgsql/data/server.key
systemctl enable --now postgresql
password=$(aws secretsmanager get-secret-value --region ${AWS::Region} --secret-id ${DatabaseSecret} \\
  --query SecretString --output text | jq -r .password)
runuser -u postgres -- psql -v ON_ERROR_STOP=1 -c "ALTER USER postgres PASSWORD '$password'" \\
  -c "CREATE DATABASE ${DatabaseName}"
runuser -u postgres -- psql -v ON_ERROR_STOP=1 -d ${DatabaseName} -c "CREATE EXTENSION mao"
"""
    part = code_parameters("Extension", "packages/mao-extension-al2023-arm64.zip")
    part["Parameters"].update(AMI_PARAMETER)
    part["Parameters"].update({
        "DatabaseName": {"Type": "String", "Default": "core", "AllowedPattern": "^[a-z][a-z0-9_]{0,62}$",
                         "Description": "Database the extension and its views live in"},
        "InstanceType": {"Type": "String", "Default": "t4g.small",
                         "AllowedValues": ["t4g.small", "t4g.medium", "t4g.large", "m7g.large", "r7g.large"],
                         "Description": "Graviton instance type for PostgreSQL"},
        "DataVolumeGiB": {"Type": "Number", "Default": 30, "MinValue": 20, "MaxValue": 1000,
                          "Description": "Size of the encrypted root volume holding the database"},
    })
    stmts = receiver_statements(ref("DatabaseSecret")) + [
        statement("ExtensionPackage", ["s3:GetObject"],
                  sub("arn:${AWS::Partition}:s3:::${CodeBucket}/${ExtensionCodeKey}"))]
    res = _instance("Postgres", ref("InstanceType"), stmts, user_data, ref("DatabaseSecurityGroup"), 30)
    res["PostgresLaunchTemplate"]["Properties"]["LaunchTemplateData"]["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"] = ref("DataVolumeGiB")
    res["DatabaseSecret"] = {"Type": "AWS::SecretsManager::Secret", "Properties": {
        "Description": "MAO: password of the postgres user on the PostgreSQL instance",
        "KmsKeyId": ref("AnalyticsKey"),
        "GenerateSecretString": {"SecretStringTemplate": '{"username": "postgres"}',
                                 "GenerateStringKey": "password", "PasswordLength": 32,
                                 "ExcludePunctuation": True}}}
    res["DatabaseFromEndpoints"] = {"Type": "AWS::EC2::SecurityGroupEgress", "Properties": {
        "GroupId": ref("DatabaseSecurityGroup"), "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
        "CidrIp": "0.0.0.0/0", "Description": "HTTPS to S3 through the gateway endpoint (no Internet route exists)"}}
    part["Resources"] = res
    part["Outputs"] = {
        "PostgresInstanceId": {"Description": "PostgreSQL instance (Session Manager)", "Value": ref("PostgresInstance")},
        "DatabaseEndpoint": {"Description": "Private address of PostgreSQL (QuickSight data source: database server)",
                             "Value": getatt("PostgresInstance", "PrivateIp")},
        "DatabaseSecretArn": {"Description": "Secret with the postgres user's password", "Value": ref("DatabaseSecret")},
        "DatabaseName": {"Description": "Database name", "Value": ref("DatabaseName")},
    }
    return part


# ---------------------------------------------------------------------------
# Sender: a read-only role with exactly the operations mao-sender calls, the
# function (custom runtime, its own package) and its daily schedule.

def sender_parameters():
    return {"Parameters": {
        "S3Bucket": {"Type": "String", "AllowedPattern": "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
                     "Description": "Data bucket (S3Bucket output of the analytics stack)"},
        "AnalyticsAccount": {"Type": "String", "AllowedPattern": "^[0-9]{12}$",
                             "Description": "Analytics account id (owner of the bucket and the key)"},
        "Region": {"Type": "String", "AllowedPattern": "^[a-z]{2}(-[a-z]+)+-[0-9]$",
                   "Description": "Region of the analytics account (where the bucket and key live)"},
        "AnalyticsKMSKey": {"Type": "String",
                            "AllowedPattern": "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$",
                            "Description": "Analytics KMS key ARN (KMSKeyArn output of the analytics stack)"},
        "CodeBucket": {"Type": "String", "AllowedPattern": "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
                       "Description": "Bucket in this region holding the mao-sender deployment package"},
        "SenderCodeKey": {"Type": "String", "Default": "packages/mao-sender-lambda-arm64.zip",
                          "Description": "Key of the mao-sender package in CodeBucket"},
        "Schedule": {"Type": "String", "Default": "cron(0 1 * * ? *)",
                     "Description": "When the sender runs (EventBridge schedule expression, UTC)"},
    }}


def sender():
    upload_context = {"StringEquals": {"kms:EncryptionContext:mao:account": ref("AWS::AccountId")}}
    by_service = {}
    for service in sender_api.READ_ONLY:
        by_service.setdefault(tuple(sender_api.RESOURCES.get(service, ["*"])), []).extend(
            sender_api.actions(service))
    # Regional collectors run in the analytics region; Trusted Advisor,
    # Health, CloudFront WAF and the global services answer in us-east-1.
    regions = {"StringEquals": {"aws:RequestedRegion": [ref("Region"), "us-east-1"]}}
    reads = []
    for i, (resources, actions) in enumerate(sorted(by_service.items(), key=lambda kv: kv[0])):
        res = [sub(r) if "$" in r else r for r in resources]
        reads.append(statement(f"ReadOnlyCollectors{i + 1}", actions, res if len(res) > 1 else res[0],
                               condition=regions))
    statements = reads + [
        statement("UploadUnderOwnAccount", ["s3:PutObject"],
                  sub("arn:${AWS::Partition}:s3:::${S3Bucket}/data/${AWS::AccountId}/*"),
                  condition={"StringEquals": {"s3:ResourceAccount": ref("AnalyticsAccount")}}),
        statement("EnvelopeDataKeys", ["kms:GenerateDataKey"], ref("AnalyticsKMSKey"), condition=upload_context),
        statement("BucketEncryptionThroughS3", ["kms:GenerateDataKey"], ref("AnalyticsKMSKey"),
                  condition={"StringEquals": {"kms:ViaService": sub("s3.${Region}.amazonaws.com")}}),
        statement("Logs", ["logs:CreateLogStream", "logs:PutLogEvents"], getatt("SenderLogGroup", "Arn")),
    ]
    # mao-sender's settings (its --help names the variables).  REGION is the
    # analytics region, as the guide's Region parameter says: the sender
    # collects that region's regional services and uploads there.
    env = {
        "BUCKET": ref("S3Bucket"), "REGION": ref("Region"),
        "ANALYTICS_KMS_KEY": ref("AnalyticsKMSKey"),
        "PARTNER": ref("PartnerName"), "CUSTOMER": ref("CustomerName"),
        "CATEGORY": ref("Category"), "ENVIRONMENT": ref("Environment"),
        "PRODUCT": ref("ProductName"), "INTERVAL": "DAILY",
    }
    return {"Resources": {
        "SenderLogGroup": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Delete",
                           "UpdateReplacePolicy": "Delete", "Properties": {
            "LogGroupName": sub("/aws/lambda/${AWS::StackName}-sender"), "RetentionInDays": 90}},
        "SenderRole": role("MAO sender: read-only collectors, upload to the analytics bucket",
                           "lambda.amazonaws.com", statements, name_sid="MaoSender"),
        "SenderFunction": {"Type": "AWS::Lambda::Function", "Properties": {
            "FunctionName": sub("${AWS::StackName}-sender"),
            "Description": "MAO sender: mao-sender run (collect, seal, upload)",
            "Runtime": "provided.al2023", "Handler": "bootstrap", "Architectures": ["arm64"],
            "Code": {"S3Bucket": ref("CodeBucket"), "S3Key": ref("SenderCodeKey")},
            "Role": getatt("SenderRole", "Arn"), "MemorySize": 512, "Timeout": 900,
            "Environment": {"Variables": env},
            "LoggingConfig": {"LogGroup": ref("SenderLogGroup")},
            "Tags": tags("sender")}},
        "SenderSchedule": {"Type": "AWS::Events::Rule", "Properties": {
            "Description": "MAO: run the sender once a day",
            "ScheduleExpression": ref("Schedule"), "State": "ENABLED",
            "Targets": [{"Id": "sender", "Arn": getatt("SenderFunction", "Arn")}]}},
        "SenderSchedulePermission": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": ref("SenderFunction"), "Action": "lambda:InvokeFunction",
            "Principal": "events.amazonaws.com", "SourceArn": getatt("SenderSchedule", "Arn")}},
    }, "Outputs": {
        "SenderFunctionName": {"Description": "Sender Lambda function (Test tab runs it now)",
                               "Value": ref("SenderFunction")},
        "SenderRoleArn": {"Description": "Sender role", "Value": getatt("SenderRole", "Arn")},
    }}


def sender_stackset(sender_template_body):
    """Organisation-wide onboarding: the sender template as a service-managed
    StackSet, deployed automatically to every account of the chosen OUs."""
    params = {
        "S3Bucket": sender_parameters()["Parameters"]["S3Bucket"],
        "AnalyticsAccount": sender_parameters()["Parameters"]["AnalyticsAccount"],
        "Region": sender_parameters()["Parameters"]["Region"],
        "AnalyticsKMSKey": sender_parameters()["Parameters"]["AnalyticsKMSKey"],
        "CodeBucket": dict(sender_parameters()["Parameters"]["CodeBucket"],
                           Description="Bucket holding the mao-sender package, readable by the member accounts, in each target region"),
        "OrganizationalUnitIds": {"Type": "CommaDelimitedList",
                                  "Description": "OUs (ou-... or the root r-...) whose accounts get the sender"},
        "TargetRegions": {"Type": "CommaDelimitedList", "Default": "us-east-1",
                          "Description": "Regions to deploy the sender in"},
    }
    params.update(account_metadata_parameters()["Parameters"])
    names = ["S3Bucket", "AnalyticsAccount", "Region", "AnalyticsKMSKey", "CodeBucket",
             "Category", "CustomerName", "Environment", "PartnerName", "ProductName"]
    return {"Parameters": params, "Resources": {
        "SenderStackSet": {"Type": "AWS::CloudFormation::StackSet", "Properties": {
            "StackSetName": sub("${AWS::StackName}-sender"),
            "Description": "MAO sender in every account of the organisation units",
            "PermissionModel": "SERVICE_MANAGED",
            "AutoDeployment": {"Enabled": True, "RetainStacksOnAccountRemoval": False},
            "CallAs": "SELF",
            "Capabilities": ["CAPABILITY_IAM"],
            "ManagedExecution": {"Active": True},
            "OperationPreferences": {"FailureTolerancePercentage": 10, "MaxConcurrentPercentage": 25,
                                     "RegionConcurrencyType": "PARALLEL"},
            "Parameters": [{"ParameterKey": n, "ParameterValue": ref(n)} for n in names],
            "StackInstancesGroup": [{"DeploymentTargets": {"OrganizationalUnitIds": ref("OrganizationalUnitIds")},
                                     "Regions": ref("TargetRegions")}],
            "TemplateBody": sender_template_body}},
    }, "Outputs": {"StackSetId": {"Description": "Sender StackSet", "Value": ref("SenderStackSet")}}}


# ---------------------------------------------------------------------------
# QuickSight migration: a function that imports quicksuite/MAO-Analysis.qs
# (data source, data sets on the views, analysis) with this account's
# database, secret and VPC connection.

QS_MIGRATION_CODE = '''"""Imports the MAO QuickSight asset bundle (see quicksuite/)."""
import os, time, boto3

def handler(event, context):
    region = os.environ["REGION"]
    account = context.invoked_function_arn.split(":")[4]
    qs = boto3.client("quicksight", region_name=region)
    rds = boto3.client("rds", region_name=region)
    cluster = rds.describe_db_clusters(DBClusterIdentifier=os.environ["AURORA_CLUSTER_ARN"])["DBClusters"][0]
    vpc = os.environ.get("VPC_CONNECTION_ARN") or next(
        c["Arn"] for c in qs.list_vpc_connections(AwsAccountId=account)["VPCConnectionSummaries"]
        if c.get("AvailabilityStatus") == "AVAILABLE")
    overrides = {
        "DataSources": [{
            "DataSourceId": "mao-database",
            "DataSourceParameters": {"AuroraPostgreSqlParameters": {
                "Host": cluster["Endpoint"], "Port": cluster["Port"], "Database": os.environ["DB_NAME"]}},
            "VpcConnectionProperties": {"VpcConnectionArn": vpc},
            "SslProperties": {"DisableSsl": False},
            "Credentials": {"SecretArn": os.environ["AURORA_SECRET_ARN"]}}],
        "Analyses": [{"AnalysisId": "mao-analysis", "Name": os.environ["ANALYSIS_NAME"]}],
    }
    job = "mao-import-%d" % int(time.time())
    args = dict(AwsAccountId=account, AssetBundleImportJobId=job,
                AssetBundleImportSource={"S3Uri": os.environ["S3_URI"]},
                OverrideParameters=overrides, FailureAction="ROLLBACK")
    principal = os.environ.get("QS_PRINCIPAL_ARN")
    if principal:
        args["OverridePermissions"] = {
            "DataSources": [{"DataSourceIds": ["*"], "Permissions": {"Principals": [principal], "Actions": [
                "quicksight:DescribeDataSource", "quicksight:DescribeDataSourcePermissions",
                "quicksight:PassDataSource", "quicksight:UpdateDataSource", "quicksight:DeleteDataSource",
                "quicksight:UpdateDataSourcePermissions"]}}],
            "DataSets": [{"DataSetIds": ["*"], "Permissions": {"Principals": [principal], "Actions": [
                "quicksight:DescribeDataSet", "quicksight:DescribeDataSetPermissions", "quicksight:PassDataSet",
                "quicksight:DescribeIngestion", "quicksight:ListIngestions", "quicksight:UpdateDataSet",
                "quicksight:DeleteDataSet", "quicksight:CreateIngestion", "quicksight:CancelIngestion",
                "quicksight:UpdateDataSetPermissions"]}}],
            "Analyses": [{"AnalysisIds": ["*"], "Permissions": {"Principals": [principal], "Actions": [
                "quicksight:RestoreAnalysis", "quicksight:UpdateAnalysisPermissions", "quicksight:DeleteAnalysis",
                "quicksight:DescribeAnalysisPermissions",
                "quicksight:DescribeAnalysis", "quicksight:UpdateAnalysis"]}}]}
    qs.start_asset_bundle_import_job(**args)
    while True:
        time.sleep(5)
        d = qs.describe_asset_bundle_import_job(AwsAccountId=account, AssetBundleImportJobId=job)
        if d["JobStatus"] in ("SUCCESSFUL", "FAILED", "FAILED_ROLLBACK_COMPLETED", "FAILED_ROLLBACK_ERROR"):
            break
    if d["JobStatus"] != "SUCCESSFUL":
        raise RuntimeError("import %s: %s %s" % (job, d["JobStatus"], d.get("Errors")))
    return {"job": job, "status": d["JobStatus"], "analysis": os.environ["ANALYSIS_NAME"]}
'''

# What the bundle import needs: create or update each asset kind it holds,
# pass the data source to the data sets, read the bundle and the cluster.
QS_IMPORT_ACTIONS = [
    "quicksight:StartAssetBundleImportJob", "quicksight:DescribeAssetBundleImportJob",
    "quicksight:ListVPCConnections", "quicksight:DescribeVPCConnection",
    "quicksight:CreateDataSource", "quicksight:UpdateDataSource", "quicksight:DescribeDataSource",
    "quicksight:UpdateDataSourcePermissions", "quicksight:PassDataSource",
    "quicksight:CreateDataSet", "quicksight:UpdateDataSet", "quicksight:DescribeDataSet",
    "quicksight:UpdateDataSetPermissions", "quicksight:PassDataSet",
    "quicksight:CreateAnalysis", "quicksight:UpdateAnalysis", "quicksight:DescribeAnalysis",
    "quicksight:UpdateAnalysisPermissions",
]


def qs_migration():
    return {"Parameters": {
        "Region": {"Type": "String", "AllowedPattern": "^[a-z]{2}(-[a-z]+)+-[0-9]$",
                   "Description": "Region of the analytics account with QuickSight"},
        "AuroraClusterArn": {"Type": "String", "AllowedPattern": "^arn:aws[a-z-]*:rds:.+:cluster:.+$",
                             "Description": "AuroraClusterArn output of the analytics stack"},
        "AuroraSecretArn": {"Type": "String", "AllowedPattern": "^arn:aws[a-z-]*:secretsmanager:.+$",
                            "Description": "AuroraSecretArn output of the analytics stack"},
        "S3Bucket": {"Type": "String", "AllowedPattern": "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
                     "Description": "S3Bucket output of the analytics stack"},
        "S3Uri": {"Type": "String", "AllowedPattern": "^s3://.+\\.qs$",
                  "Description": "The bundle in that bucket, e.g. s3://<bucket>/quicksuite/MAO-Analysis.qs"},
        "NewAnalysisName": {"Type": "String", "Default": "MAO Multi-Account Observability",
                            "MinLength": 1, "MaxLength": 2048, "Description": "Name of the imported analysis"},
        "KMSKeyArn": {"Type": "String", "AllowedPattern": "^arn:aws[a-z-]*:kms:.+:key/.+$",
                      "Description": "KMSKeyArn output of the analytics stack (the bucket's encryption key)"},
        "DatabaseName": {"Type": "String", "Default": "core", "Description": "Database holding the views"},
        "VpcConnectionArn": {"Type": "String", "Default": "",
                             "Description": "Optional: QuickSight VPC connection ARN (default: the first AVAILABLE one)"},
        "QuickSightPrincipalArn": {"Type": "String", "Default": "",
                                   "Description": "Optional: QuickSight user or group ARN to own the imported assets"},
    }, "Resources": {
        "MigrationLogGroup": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Delete",
                              "UpdateReplacePolicy": "Delete", "Properties": {
            "LogGroupName": sub("/aws/lambda/${AWS::StackName}-qs-migration"), "RetentionInDays": 30}},
        "MigrationRole": role("MAO QuickSight migration", "lambda.amazonaws.com", [
            statement("ImportBundle", QS_IMPORT_ACTIONS,
                      sub("arn:${AWS::Partition}:quicksight:${Region}:${AWS::AccountId}:*")),
            statement("ReadBundle", ["s3:GetObject"], sub("arn:${AWS::Partition}:s3:::${S3Bucket}/quicksuite/*")),
            statement("DecryptBundle", ["kms:Decrypt"], ref("KMSKeyArn"),
                      condition={"StringEquals": {"kms:ViaService": sub("s3.${Region}.amazonaws.com")}}),
            statement("FindCluster", ["rds:DescribeDBClusters"], ref("AuroraClusterArn")),
            statement("Logs", ["logs:CreateLogStream", "logs:PutLogEvents"], getatt("MigrationLogGroup", "Arn")),
        ], name_sid="MaoQsMigration"),
        "MigrationFunction": {"Type": "AWS::Lambda::Function", "Properties": {
            "FunctionName": sub("${AWS::StackName}-qs-migration"),
            "Description": "MAO: import the QuickSight bundle (data source, data sets, analysis)",
            "Runtime": "python3.12", "Handler": "index.handler", "Timeout": 900, "MemorySize": 256,
            "Role": getatt("MigrationRole", "Arn"),
            "Code": {"ZipFile": QS_MIGRATION_CODE},
            "LoggingConfig": {"LogGroup": ref("MigrationLogGroup")},
            "Environment": {"Variables": {
                "REGION": ref("Region"), "AURORA_CLUSTER_ARN": ref("AuroraClusterArn"),
                "AURORA_SECRET_ARN": ref("AuroraSecretArn"), "S3_URI": ref("S3Uri"),
                "ANALYSIS_NAME": ref("NewAnalysisName"), "DB_NAME": ref("DatabaseName"),
                "VPC_CONNECTION_ARN": ref("VpcConnectionArn"),
                "QS_PRINCIPAL_ARN": ref("QuickSightPrincipalArn")}}}},
    }, "Outputs": {
        "MigrationFunctionName": {"Description": "Run it once from the Lambda console's Test tab",
                                  "Value": ref("MigrationFunction")},
    }}
