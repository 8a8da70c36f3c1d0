// examples/session-store in the AWS CDK: a VPC with an S3 gateway endpoint,
// the sessions bucket (CORS, 7-day expiry, TLS only) behind CloudFront, the
// two secrets, the backend on Fargate behind an HTTPS load balancer (the
// load-balanced Fargate pattern), and Redis with its parameter group,
// reachable from the backend only.
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as patterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

const dir = path.join(process.env.FORMWORK_ROOT ?? '../../..', 'examples/session-store');
const envName = process.env.HERA_ENV ?? 'prod';
const app = new cdk.App();
const stack = new cdk.Stack(app, `SessionStore-${envName}`, {
  env: { region: process.env.CDK_DEFAULT_REGION ?? 'ap-northeast-1' },
  description: 'session-store (reference E): chat backend on Fargate, sessions in S3 and Redis',
});
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
vpc.addGatewayEndpoint('S3Endpoint', {
  service: ec2.GatewayVpcEndpointAwsService.S3,
  subnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
});
const sessions = new s3.Bucket(stack, 'SessionsBucket', {
  bucketName: `hera-sessions-${envName}`,
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  cors: [{
    allowedOrigins: ['https://yourdomain.com'],
    allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.PUT, s3.HttpMethods.POST],
    allowedHeaders: ['*'],
    maxAge: 3000,
  }],
  lifecycleRules: [{ id: 'DeleteOldSessions', prefix: 'sessions/', expiration: cdk.Duration.days(7) }],
});
const distribution = new cloudfront.Distribution(stack, 'ImagesDistribution', {
  defaultBehavior: {
    origin: origins.S3BucketOrigin.withOriginAccessControl(sessions),
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
  },
  priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
  comment: 'hera session images',
});
const gemini = new secretsmanager.Secret(stack, 'GeminiApiKey', {
  secretName: 'hera/gemini-api-key',
  description: 'hera-backend: the Gemini API key',
});
const backendSecrets = new secretsmanager.Secret(stack, 'BackendSecrets', {
  secretName: `hera/${envName}/backend`,
  description: 'hera-backend: REDIS_URL',
});
const certificateArn = new cdk.CfnParameter(stack, 'CertificateArn', { type: 'String' });
const backend = new patterns.ApplicationLoadBalancedFargateService(stack, 'Backend', {
  vpc,
  cpu: 512,
  memoryLimitMiB: 1024,
  certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', certificateArn.valueAsString),
  protocol: elbv2.ApplicationProtocol.HTTPS,
  redirectHTTP: true,
  circuitBreaker: { rollback: true },
  taskImageOptions: {
    image: ecs.ContainerImage.fromAsset(path.join(dir, 'backend')),
    containerName: 'backend',
    family: 'hera-backend',
    containerPort: 8080,
    environment: {
      STORAGE_MODE: 'cloud',
      CLOUD_STORAGE_TYPE: 's3',
      S3_BUCKET_NAME: sessions.bucketName,
      AWS_REGION: cdk.Aws.REGION,
      SESSION_TTL: '86400',
    },
    secrets: {
      GEMINI_API_KEY: ecs.Secret.fromSecretsManager(gemini),
      REDIS_URL: ecs.Secret.fromSecretsManager(backendSecrets, 'REDIS_URL'),
    },
    logDriver: ecs.LogDrivers.awsLogs({
      streamPrefix: 'ecs',
      logGroup: new logs.LogGroup(stack, 'BackendLogGroup', {
        logGroupName: '/ecs/hera-backend', retention: logs.RetentionDays.ONE_MONTH,
      }),
    }),
  },
});
backend.targetGroup.configureHealthCheck({ path: '/', healthyHttpCodes: '200-499' });
sessions.grantReadWrite(backend.taskDefinition.taskRole);

const redisParameters = new elasticache.CfnParameterGroup(stack, 'RedisParameters', {
  cacheParameterGroupFamily: 'redis7',
  description: 'allkeys-lru, no persistence',
  properties: { 'maxmemory-policy': 'allkeys-lru', appendonly: 'no' },
});
const redisSubnets = new elasticache.CfnSubnetGroup(stack, 'RedisSubnetGroup', {
  description: 'hera redis',
  subnetIds: vpc.privateSubnets.map((s) => s.subnetId),
});
const redisGroup = new ec2.SecurityGroup(stack, 'RedisSecurityGroup', { vpc, allowAllOutbound: false });
redisGroup.addIngressRule(backend.service.connections.securityGroups[0], ec2.Port.tcp(6379), 'Redis from the backend');
const redis = new elasticache.CfnCacheCluster(stack, 'Redis', {
  clusterName: `hera-redis-${envName}`,
  engine: 'redis',
  engineVersion: '7.1',
  cacheNodeType: 'cache.t3.micro',
  numCacheNodes: 1,
  cacheParameterGroupName: redisParameters.ref,
  cacheSubnetGroupName: redisSubnets.ref,
  vpcSecurityGroupIds: [redisGroup.securityGroupId],
});
new cdk.CfnOutput(stack, 'LoadBalancerDnsName', { value: backend.loadBalancer.loadBalancerDnsName });
new cdk.CfnOutput(stack, 'SessionsBucketName', { value: sessions.bucketName });
new cdk.CfnOutput(stack, 'ImagesDomainName', { value: distribution.distributionDomainName });
new cdk.CfnOutput(stack, 'RedisEndpoint', { value: redis.attrRedisEndpointAddress });
app.synth();
