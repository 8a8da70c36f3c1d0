// examples/weather-service in the AWS CDK: the repository stack, then a
// two-zone VPC with public subnets (no NAT, as in the team's budget), the
// three security groups, an HTTPS load balancer with the redirect on 80,
// the JSON secret, the EFS cache, the Fargate task and service with
// autoscaling, the metrics permission, the GitHub deploy role and the
// dashboard.
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

const NAME = 'weather-comment-generator';
const dir = path.join(process.env.FORMWORK_ROOT ?? '../../..', 'examples/weather-service');
const env = { region: process.env.CDK_DEFAULT_REGION ?? 'ap-northeast-1' };
const app = new cdk.App();

const images = new cdk.Stack(app, 'WeatherRepository', { env });
const repository = new ecr.Repository(images, 'Repository', {
  repositoryName: NAME,
  imageTagMutability: ecr.TagMutability.IMMUTABLE,
  lifecycleRules: [{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: cdk.Duration.days(14) }],
});
new cdk.CfnOutput(images, 'RepositoryUri', { value: repository.repositoryUri });

const stack = new cdk.Stack(app, 'WeatherService', { env });
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
});
const lbGroup = new ec2.SecurityGroup(stack, 'LoadBalancerSecurityGroup', {
  vpc, description: 'weather-service load balancer', allowAllOutbound: false,
});
const taskGroup = new ec2.SecurityGroup(stack, 'ServiceSecurityGroup', {
  vpc, description: 'weather-service tasks',
});
const efsGroup = new ec2.SecurityGroup(stack, 'FileSystemSecurityGroup', {
  vpc, description: 'weather-service cache file system', allowAllOutbound: false,
});
lbGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from anywhere');
lbGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from anywhere, redirected to HTTPS');
taskGroup.addIngressRule(lbGroup, ec2.Port.tcp(8501), 'Streamlit from the load balancer');
taskGroup.addIngressRule(lbGroup, ec2.Port.tcp(8000), 'FastAPI from the load balancer');
efsGroup.addIngressRule(taskGroup, ec2.Port.tcp(2049), 'NFS from the tasks');

const certificateArn = new cdk.CfnParameter(stack, 'CertificateArn', { type: 'String' });
const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate', certificateArn.valueAsString);
const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'LoadBalancer', {
  vpc, internetFacing: true, securityGroup: lbGroup,
});
const targetGroup = new elbv2.ApplicationTargetGroup(stack, 'TargetGroup', {
  vpc, port: 8501, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP,
  targetGroupName: 'weather-comment-tg',
  healthCheck: { path: '/', interval: cdk.Duration.seconds(30) },
});
loadBalancer.addListener('HttpsListener', {
  port: 443, certificates: [certificate], defaultTargetGroups: [targetGroup],
  sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
});
loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });

const apiKeys = new secretsmanager.Secret(stack, 'ApiKeys', {
  secretName: `${NAME}/api-keys`,
  description: 'Weather and LLM API keys of the weather-comment generator',
});
const cache = new efs.FileSystem(stack, 'CacheFileSystem', {
  vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, securityGroup: efsGroup,
  performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
  throughputMode: efs.ThroughputMode.BURSTING,
  lifecyclePolicy: efs.LifecyclePolicy.AFTER_30_DAYS,
  encrypted: true,
  fileSystemName: 'weather-comment-cache',
});
const task = new ecs.FargateTaskDefinition(stack, 'TaskDefinition', {
  family: NAME, cpu: 1024, memoryLimitMiB: 2048,
});
task.addVolume({
  name: 'cache-storage',
  efsVolumeConfiguration: { fileSystemId: cache.fileSystemId, transitEncryption: 'ENABLED' },
});
const container = task.addContainer('app', {
  image: ecs.ContainerImage.fromAsset(path.join(dir, 'app'), { platform: ecrAssets.Platform.LINUX_AMD64 }),
  portMappings: [{ containerPort: 8501 }, { containerPort: 8000 }],
  environment: { ENV: 'production', MAX_PARALLEL_WORKERS: '4' },
  secrets: {
    WXTECH_API_KEY: ecs.Secret.fromSecretsManager(apiKeys, 'WXTECH_API_KEY'),
    OPENAI_API_KEY: ecs.Secret.fromSecretsManager(apiKeys, 'OPENAI_API_KEY'),
  },
  logging: ecs.LogDrivers.awsLogs({
    streamPrefix: 'ecs',
    logGroup: new logs.LogGroup(stack, 'AppLogGroup', {
      logGroupName: `/ecs/${NAME}`, retention: logs.RetentionDays.ONE_MONTH,
    }),
  }),
});
container.addMountPoints({ sourceVolume: 'cache-storage', containerPath: '/app/cache', readOnly: false });
cache.grant(task.taskRole, 'elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite');
task.addToTaskRolePolicy(new iam.PolicyStatement({
  actions: ['cloudwatch:PutMetricData'],
  resources: ['*'],
  conditions: { StringEquals: { 'cloudwatch:namespace': 'WeatherCommentGenerator' } },
}));

const cluster = new ecs.Cluster(stack, 'Cluster', {
  vpc, clusterName: 'weather-comment-cluster', containerInsights: true,
});
const service = new ecs.FargateService(stack, 'Service', {
  cluster, taskDefinition: task, serviceName: 'weather-comment-service',
  desiredCount: 1, minHealthyPercent: 100, maxHealthyPercent: 200,
  vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, assignPublicIp: true,
  securityGroups: [taskGroup], circuitBreaker: { rollback: true },
});
service.attachToApplicationTargetGroup(targetGroup);
const scaling = service.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 4 });
scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 70 });
scaling.scaleOnMemoryUtilization('Memory', { targetUtilizationPercent: 80 });

const github = new iam.OpenIdConnectProvider(stack, 'GithubOidcProvider', {
  url: 'https://token.actions.githubusercontent.com', clientIds: ['sts.amazonaws.com'],
});
const deployRole = new iam.Role(stack, 'DeployRole', {
  assumedBy: new iam.WebIdentityPrincipal(github.openIdConnectProviderArn, {
    StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
    StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:weather-comment/weather-comment-generator:ref:refs/heads/main' },
  }),
});
repository.grantPush(deployRole);
deployRole.addToPolicy(new iam.PolicyStatement({
  actions: ['ecs:UpdateService', 'ecs:DescribeServices'],
  resources: [service.serviceArn],
}));

const appMetric = (name: string) => new cloudwatch.Metric({
  namespace: 'WeatherCommentGenerator', metricName: name, statistic: 'Average', period: cdk.Duration.minutes(5),
});
new cloudwatch.Dashboard(stack, 'Dashboard', {
  dashboardName: NAME,
  widgets: [[
    new cloudwatch.GraphWidget({ title: 'CPU and memory (%)', left: [service.metricCpuUtilization(), service.metricMemoryUtilization()] }),
    new cloudwatch.GraphWidget({ title: 'Target response time (p95, s)', left: [targetGroup.metrics.targetResponseTime({ statistic: 'p95' })] }),
    new cloudwatch.GraphWidget({ title: 'Comments and cache', left: [appMetric('CommentSuccessRate'), appMetric('CacheHitRate')] }),
    new cloudwatch.GraphWidget({ title: 'Parallel efficiency and API calls', left: [appMetric('ParallelEfficiency'), appMetric('ApiCalls')] }),
  ]],
});
new cdk.CfnOutput(stack, 'LoadBalancerDnsName', { value: loadBalancer.loadBalancerDnsName });
new cdk.CfnOutput(stack, 'ClusterName', { value: cluster.clusterName });
new cdk.CfnOutput(stack, 'ServiceName', { value: service.serviceName });
new cdk.CfnOutput(stack, 'DeployRoleArn', { value: deployRole.roleArn });
app.synth();
