// examples/vision-pipeline in the AWS CDK: the repository stack, then the
// images bucket, the API and worker functions from one image, the worker's
// permissions (one SageMaker endpoint, the Bedrock models, the Azure
// secret) and the state machine that checks its input and invokes it.
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';

const dir = path.join(process.env.FORMWORK_ROOT ?? '../../..', 'examples/vision-pipeline');
const env = { region: process.env.CDK_DEFAULT_REGION ?? 'ap-northeast-1' };
const endpointName = 'poc-mc-vision-endpoint';
const modelIds = ['anthropic.claude-3-5-sonnet-20240620-v1:0'];
const app = new cdk.App();

const registry = new cdk.Stack(app, 'VisionRepository', { env });
const repository = new ecr.Repository(registry, 'Repository', {
  repositoryName: 'poc-mc-vision-fastapi',
  imageTagMutability: ecr.TagMutability.IMMUTABLE,
});
new cdk.CfnOutput(registry, 'RepositoryUri', { value: repository.repositoryUri });

const stack = new cdk.Stack(app, 'VisionPipeline', { env });
const images = new s3.Bucket(stack, 'ImagesBucket', {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
});
const api = new lambda.DockerImageFunction(stack, 'ApiFunction', {
  code: lambda.DockerImageCode.fromImageAsset(path.join(dir, 'app')),
  functionName: 'poc-mc-vision-fastapi',
  description: 'FastAPI app',
  architecture: lambda.Architecture.X86_64,
  memorySize: 1024,
  timeout: cdk.Duration.seconds(30),
  logRetention: logs.RetentionDays.ONE_MONTH,
});
const url = api.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
const azureSecret = secretsmanager.Secret.fromSecretNameV2(stack, 'AzureCredentials', 'poc-mc-vision/azure-credentials');
const worker = new lambda.DockerImageFunction(stack, 'WorkerFunction', {
  code: lambda.DockerImageCode.fromImageAsset(path.join(dir, 'app'), { cmd: ['main.pipeline_handler'] }),
  functionName: 'poc-mc-vision-pipeline-worker',
  description: 'Batch inference worker',
  architecture: lambda.Architecture.X86_64,
  memorySize: 1024,
  timeout: cdk.Duration.seconds(300),
  environment: {
    IMAGES_BUCKET_NAME: images.bucketName,
    SAGEMAKER_ENDPOINT_NAME: endpointName,
    BEDROCK_MODEL_IDS: modelIds.join(','),
    AZURE_SECRET_NAME: 'poc-mc-vision/azure-credentials',
  },
  logRetention: logs.RetentionDays.ONE_MONTH,
});
images.grantRead(worker);
worker.addToRolePolicy(new iam.PolicyStatement({
  actions: ['sagemaker:InvokeEndpoint'],
  resources: [stack.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: endpointName })],
}));
worker.addToRolePolicy(new iam.PolicyStatement({
  actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
  resources: modelIds.map((m) => `arn:${cdk.Aws.PARTITION}:bedrock:${cdk.Aws.REGION}::foundation-model/${m}`),
}));
azureSecret.grantRead(worker);

const invalid = new sfn.Fail(stack, 'InvalidInput', {
  error: 'InvalidInput',
  cause: 'expected {"s3_key": <string>, "inference_type": "sagemaker" | "bedrock" | "azure"}',
});
const run = new tasks.LambdaInvoke(stack, 'RunWorker', {
  lambdaFunction: worker,
  payload: sfn.TaskInput.fromObject({
    s3_key: sfn.JsonPath.stringAt('$.s3_key'),
    inference_type: sfn.JsonPath.stringAt('$.inference_type'),
  }),
  outputPath: '$.Payload',
  retryOnServiceExceptions: false,
});
const check = new sfn.Choice(stack, 'CheckInput')
  .when(sfn.Condition.isNotPresent('$.s3_key'), invalid)
  .when(sfn.Condition.isNotPresent('$.inference_type'), invalid)
  .when(sfn.Condition.and(
    sfn.Condition.isString('$.s3_key'),
    sfn.Condition.or(...['sagemaker', 'bedrock', 'azure'].map((t) => sfn.Condition.stringEquals('$.inference_type', t))),
  ), run)
  .otherwise(invalid);
const machine = new sfn.StateMachine(stack, 'PipelineStateMachine', {
  definitionBody: sfn.DefinitionBody.fromChainable(check),
  stateMachineName: 'poc-mc-vision-pipeline',
});
new cdk.CfnOutput(stack, 'ApiFunctionUrl', { value: url.url });
new cdk.CfnOutput(stack, 'ImagesBucketName', { value: images.bucketName });
new cdk.CfnOutput(stack, 'PipelineStateMachineArn', { value: machine.stateMachineArn });
app.synth();
