// examples/chat-proxy in the AWS CDK: config and audit buckets, two secrets,
// the TypeScript function with its log group, the HTTP API with a prod
// stage and one route, a streaming function URL, the model map deployed
// into the config bucket, and the error-rate and latency alarms.
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';

const dir = path.join(process.env.FORMWORK_ROOT ?? '../../..', 'examples/chat-proxy');
const envName = process.env.SFAI_ENV ?? 'prod';
const app = new cdk.App();
const stack = new cdk.Stack(app, `ChatProxy-${envName}`, {
  env: { region: process.env.CDK_DEFAULT_REGION ?? 'ap-northeast-1' },
  description: `chat-proxy (${envName}): OpenAI-compatible /chat/completions proxy on Lambda`,
});
const bucket = (id: string, kind: string) =>
  new s3.Bucket(stack, id, {
    bucketName: `sfai-${envName}-${kind}-${cdk.Aws.ACCOUNT_ID}`,
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    removalPolicy: cdk.RemovalPolicy.RETAIN,
  });
const config = bucket('ConfigBucket', 'config');
const audit = bucket('AuditLogBucket', 'audit');
const openai = new secretsmanager.Secret(stack, 'OpenAiApiKeySecret', {
  secretName: `/sfai/${envName}/OPENAI_API_KEY`,
  description: 'OpenAI API key of the chat proxy',
});
const anthropic = new secretsmanager.Secret(stack, 'AnthropicApiKeySecret', {
  secretName: `/sfai/${envName}/ANTHROPIC_API_KEY`,
  description: 'Anthropic API key of the chat proxy',
});
const functionName = `sfai-${envName}-chat-completions`;
const logGroup = new logs.LogGroup(stack, 'ChatCompletionsFunctionLogGroup', {
  logGroupName: `/aws/lambda/${functionName}`,
  retention: logs.RetentionDays.TWO_WEEKS,
});
const chat = new lambda.Function(stack, 'ChatCompletionsFunction', {
  code: lambda.Code.fromAsset(path.join(dir, 'lambda/chat'), { exclude: ['node_modules'] }),
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  functionName,
  description: 'OpenAI-compatible chat completions proxy',
  memorySize: 512,
  timeout: cdk.Duration.seconds(900),
  logGroup,
  environment: {
    CONFIG_BUCKET_NAME: config.bucketName,
    MODEL_MAP_KEY: 'config/model_map.json',
    AUDIT_LOG_BUCKET_NAME: audit.bucketName,
    OPENAI_API_KEY_SECRET_ARN: openai.secretArn,
    ANTHROPIC_API_KEY_SECRET_ARN: anthropic.secretArn,
  },
});
config.grantRead(chat);
audit.grantPut(chat);
openai.grantRead(chat);
anthropic.grantRead(chat);
new s3deploy.BucketDeployment(stack, 'ModelMap', {
  sources: [s3deploy.Source.asset(path.join(dir, 'config'))],
  destinationBucket: config,
  destinationKeyPrefix: 'config/',
  prune: false,
});
const api = new apigw.HttpApi(stack, 'ChatApi', {
  apiName: `sfai-${envName}-chat`,
  description: 'OpenAI-compatible chat completions (API Gateway cuts requests at 30 s)',
  createDefaultStage: false,
});
const prod = api.addStage('ProdStage', { stageName: 'prod', autoDeploy: true });
api.addRoutes({
  path: '/chat/completions',
  methods: [apigw.HttpMethod.POST],
  integration: new integrations.HttpLambdaIntegration('ChatCompletionsRoute', chat),
});
const url = chat.addFunctionUrl({
  authType: lambda.FunctionUrlAuthType.NONE,
  invokeMode: lambda.InvokeMode.RESPONSE_STREAM,
});
new cdk.CfnOutput(stack, 'ConfigBucketName', { value: config.bucketName });
new cdk.CfnOutput(stack, 'AuditLogBucketName', { value: audit.bucketName });
new cdk.CfnOutput(stack, 'ChatApiEndpoint', { value: prod.url });
new cdk.CfnOutput(stack, 'ChatLambdaName', { value: chat.functionName });
new cdk.CfnOutput(stack, 'ChatFunctionUrl', { value: url.url });

const topic = new sns.Topic(stack, 'AlarmTopic', {
  topicName: `sfai-${envName}-alarms`,
  displayName: 'sfai alarms',
});
const notify = new actions.SnsAction(topic);
const errorRate = new cloudwatch.Alarm(stack, 'ChatErrorRateAlarm', {
  metric: new cloudwatch.MathExpression({
    expression: '100 * errors / MAX([invocations, 1])',
    label: 'Error rate (%)',
    usingMetrics: { errors: chat.metricErrors(), invocations: chat.metricInvocations() },
  }),
  threshold: 5,
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
});
const latency = new cloudwatch.Alarm(stack, 'ChatLatencyAlarm', {
  metric: chat.metricDuration({ statistic: 'p95' }),
  threshold: 25000,
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
});
for (const alarm of [errorRate, latency]) {
  alarm.addAlarmAction(notify);
  alarm.addOkAction(notify);
}
app.synth();
