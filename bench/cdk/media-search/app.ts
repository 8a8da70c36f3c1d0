// examples/media-search in the AWS CDK: the repository stack, then the data
// bucket, the search function from a container image, the frontend behind
// CloudFront and the two folder deployments.
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';

const dir = path.join(process.env.FORMWORK_ROOT ?? '../../..', 'examples/media-search');
const env = { region: process.env.CDK_DEFAULT_REGION ?? 'ap-northeast-1' };
const app = new cdk.App();

const registry = new cdk.Stack(app, 'MediaSearchRepository', { env });
const repository = new ecr.Repository(registry, 'Repository', {
  repositoryName: 'media-search',
  imageTagMutability: ecr.TagMutability.IMMUTABLE,
});
new cdk.CfnOutput(registry, 'RepositoryUri', { value: repository.repositoryUri });

const stack = new cdk.Stack(app, 'MediaSearch', { env });
const data = new s3.Bucket(stack, 'DataBucket', {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  removalPolicy: cdk.RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
const siteBucket = new s3.Bucket(stack, 'FrontendBucket', {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
});
const distribution = new cloudfront.Distribution(stack, 'FrontendDistribution', {
  defaultBehavior: {
    origin: origins.S3BucketOrigin.withOriginAccessControl(siteBucket),
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
  },
  defaultRootObject: 'index.html',
  priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
  comment: 'media-search frontend',
});
const search = new lambda.DockerImageFunction(stack, 'SearchFunction', {
  code: lambda.DockerImageCode.fromImageAsset(path.join(dir, 'search')),
  description: 'media-search: scene search over the dataset\'s embeddings (PyTorch)',
  memorySize: 4096,
  timeout: cdk.Duration.seconds(120),
  environment: { DATA_BUCKET_NAME: data.bucketName, DATA_PREFIX: 'data/' },
  logRetention: logs.RetentionDays.ONE_MONTH,
});
data.grantRead(search);
const url = search.addFunctionUrl({
  authType: lambda.FunctionUrlAuthType.NONE,
  cors: {
    allowedOrigins: [`https://${distribution.distributionDomainName}`],
    allowedMethods: [lambda.HttpMethod.GET, lambda.HttpMethod.POST],
    allowedHeaders: ['content-type'],
    maxAge: cdk.Duration.seconds(300),
  },
});
new s3deploy.BucketDeployment(stack, 'Dataset', {
  sources: [s3deploy.Source.asset(path.join(dir, 'data_preparation/extracted_data'))],
  destinationBucket: data,
  destinationKeyPrefix: 'data/',
});
new s3deploy.BucketDeployment(stack, 'Site', {
  sources: [s3deploy.Source.asset(path.join(dir, 'frontend'), { exclude: ['node_modules'] })],
  destinationBucket: siteBucket,
  distribution,
});
new cdk.CfnOutput(stack, 'DataBucketName', { value: data.bucketName });
new cdk.CfnOutput(stack, 'SearchFunctionUrl', { value: url.url });
new cdk.CfnOutput(stack, 'SearchFunctionName', { value: search.functionName });
new cdk.CfnOutput(stack, 'SiteUrl', { value: `https://${distribution.distributionDomainName}` });
app.synth();
