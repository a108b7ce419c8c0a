package io.alphaflow.backup.s3;

import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.core.backup.BackupTarget;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code s3://bucket/prefix} backups with the AWS SDK v2 against AWS or any S3-compatible store.
 * Settings (system property, else environment): {@code alphaflow.s3.endpoint} /
 * ALPHAFLOW_S3_ENDPOINT (for MinIO and the like; path-style), {@code alphaflow.s3.region} /
 * AWS_REGION (default us-east-1), {@code alphaflow.s3.access_key} / AWS_ACCESS_KEY_ID and {@code
 * alphaflow.s3.secret_key} / AWS_SECRET_ACCESS_KEY (anonymous without them). The checkpoint marker
 * is uploaded last, so a copy with a marker is complete.
 */
public final class S3Target implements BackupTarget {
  private final Map<String, S3Client> clients = new ConcurrentHashMap<>();

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public void upload(URI target, Artifact artifact, Path dir) throws Exception {
    S3Client s3 = client();
    String bucket = target.getAuthority();
    String base = key(target, artifact);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files.stream().filter(f -> !isMarker(f)).toList()) {
      s3.putObject(
          b -> b.bucket(bucket).key(base + dir.relativize(f).toString().replace('\\', '/')),
          RequestBody.fromFile(f));
    }
    for (Path f : files.stream().filter(S3Target::isMarker).toList()) {
      s3.putObject(b -> b.bucket(bucket).key(base + ContentHash.MARKER), RequestBody.fromFile(f));
    }
  }

  @Override
  public void download(URI target, Artifact artifact, Path dir) throws Exception {
    S3Client s3 = client();
    String bucket = target.getAuthority();
    String base = key(target, artifact);
    Path staging = dir.resolveSibling(dir.getFileName() + ".restoring");
    Files.createDirectories(staging);
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(base)).contents()) {
      if (o.key().endsWith("/")) {
        continue;
      }
      Path out = staging.resolve(o.key().substring(base.length()));
      Files.createDirectories(out.getParent());
      Files.deleteIfExists(out);
      s3.getObject(b -> b.bucket(bucket).key(o.key()), out);
    }
    if (Files.exists(dir)) {
      io.alphaflow.core.artifact.Checkpoints.deleteTree(dir);
    }
    Files.createDirectories(dir.getParent());
    Files.move(staging, dir);
  }

  private static boolean isMarker(Path f) {
    return f.getFileName().toString().equals(ContentHash.MARKER);
  }

  private static String key(URI target, Artifact artifact) {
    String prefix = target.getPath() == null ? "" : target.getPath().replaceAll("^/+|/+$", "");
    return (prefix.isEmpty() ? "" : prefix + "/") + artifact.hash() + "/";
  }

  private S3Client client() {
    String endpoint = setting("alphaflow.s3.endpoint", "ALPHAFLOW_S3_ENDPOINT", null);
    String region = setting("alphaflow.s3.region", "AWS_REGION", "us-east-1");
    String access = setting("alphaflow.s3.access_key", "AWS_ACCESS_KEY_ID", null);
    String secret = setting("alphaflow.s3.secret_key", "AWS_SECRET_ACCESS_KEY", null);
    return clients.computeIfAbsent(
        endpoint + "|" + region + "|" + access,
        k -> {
          AwsCredentialsProvider credentials =
              access == null || secret == null
                  ? AnonymousCredentialsProvider.create()
                  : StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret));
          var b =
              S3Client.builder()
                  .region(Region.of(region))
                  .credentialsProvider(credentials)
                  .httpClient(
                      UrlConnectionHttpClient.builder()
                          .connectionTimeout(Duration.ofSeconds(5))
                          .socketTimeout(Duration.ofSeconds(60))
                          .build())
                  // plain signed payloads: what S3-compatible stores accept most widely
                  .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                  .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                  .serviceConfiguration(
                      S3Configuration.builder().chunkedEncodingEnabled(false).build());
          if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
          }
          return b.build();
        });
  }

  private static String setting(String property, String env, String fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? fallback : v;
  }
}
