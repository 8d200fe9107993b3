//! The reader for version 1 (single container) Dockerrun files.
//!
//! This module owns turning a v1 file into the one container and the volumes it implies: which
//! keys are known is decided by [`support::V1_TOP`] and [`support::V1_IMAGE`]; ports, booleans,
//! commands and authentication are read by the same code as v2 (in [`super::values`]), with v1's
//! spelling.

use super::values::{
    array, idx, kind_of, ptr, req_string, string, unhandled, Documented, PortKeys,
};
use super::{Dockerrun, EbContainer, EbMount, EbVolume, Parser};
use crate::codes;
use crate::error::InputError;
use crate::finding::Severity;
use crate::support;
use serde_json::{Map, Value};

/// How v1 spells a port mapping (it has no protocol: always TCP).
const PORT_KEYS: PortKeys = PortKeys {
    what: "port",
    shape: "an object with ContainerPort",
    container: "ContainerPort",
    host: "HostPort",
    protocol: None,
};

impl Parser {
    /// Read a version 1 file.
    pub(super) fn v1(&mut self, top: &Map<String, Value>) -> Result<Dockerrun, InputError> {
        let mut c = EbContainer {
            pointer: String::new(),
            image_pointer: "/Image/Name".to_string(),
            name: "app".to_string(),
            essential: true,
            original: Value::Object(top.clone()),
            ..EbContainer::default()
        };
        // The container is filled key by key, then put in its place.
        let mut run = Dockerrun::single(&self.file, EbContainer::default());
        run.containers.clear();
        for (key, val) in top {
            self.v1_key(&mut run, &mut c, key, val)?;
        }
        if c.image.is_none() {
            self.finding(
                codes::IMAGE_FROM_DOCKERFILE,
                // Not a blocker: the checklist (and the --ci workflow) build and push it.
                Severity::Warning,
                "",
                "no Image: EB built this application from its Dockerfile on every deployment; ECS runs a prebuilt image",
                "Build and push the image as CHECKLIST.md says (with --ci github the workflow builds it on every push), then put its URI in the task definition or the stack's image parameter (the placeholder image is there to be replaced).",
            );
        }
        run.containers.push(c);
        Ok(run)
    }

    /// One top-level key: unknown unless [`support::V1_TOP`] has it.
    fn v1_key(
        &mut self,
        run: &mut Dockerrun,
        c: &mut EbContainer,
        key: &str,
        val: &Value,
    ) -> Result<(), InputError> {
        if support::lookup(support::V1_TOP, key).is_none() {
            self.unknown_key("", key, "top-level (version 1)");
            return Ok(());
        }
        let kp = ptr("", key);
        match key {
            "AWSEBDockerrunVersion" => {}
            "Image" => self.v1_image(c, val, &kp)?,
            "Ports" => c
                .port_mappings
                .extend(self.port_mappings(val, &kp, key, &PORT_KEYS)?),
            "Volumes" => self.v1_volumes(run, c, val, &kp)?,
            "Logging" => run.logging = Some(string(val, &kp, key)?),
            "Command" => c.command = Some(self.command(val, &kp, key, Documented::String)?),
            "Entrypoint" => {
                c.entry_point = Some(self.command(val, &kp, key, Documented::String)?)
            }
            "Authentication" if val.as_object().is_some_and(Map::is_empty) => self.finding(
                codes::V1_AUTHENTICATION_EMPTY,
                Severity::Info,
                &kp,
                "Authentication is empty ({}): EB pulled the image without registry credentials, and so do the tasks",
                "Nothing to do; add repositoryCredentials if the image is in a private registry outside ECR.",
            ),
            "Authentication" => {
                run.authentication = Some(self.authentication(val, &kp, "Bucket", "Key")?)
            }
            _ => return Err(unhandled(kp, key)),
        }
        Ok(())
    }

    /// `Image`: its keys are unknown unless [`support::V1_IMAGE`] has them.
    fn v1_image(&mut self, c: &mut EbContainer, val: &Value, kp: &str) -> Result<(), InputError> {
        let obj = val.as_object().ok_or_else(|| {
            InputError::new(
                kp,
                format!("Image must be an object with Name, found {}", kind_of(val)),
            )
        })?;
        for (ik, iv) in obj {
            if support::lookup(support::V1_IMAGE, ik).is_none() {
                self.unknown_key(kp, ik, "Image");
                continue;
            }
            let ip = ptr(kp, ik);
            match ik.as_str() {
                "Name" => c.image = Some(string(iv, &ip, "Image.Name")?),
                "Update" => self.v1_image_update(iv, &ip)?,
                _ => return Err(unhandled(ip, ik)),
            }
        }
        Ok(())
    }

    /// `Image.Update`: ECS always pulls, so `"false"` gets a finding.
    fn v1_image_update(&mut self, iv: &Value, ip: &str) -> Result<(), InputError> {
        if !self.boolish(iv, ip, "Image.Update", Documented::String)? {
            self.finding(
                codes::V1_IMAGE_UPDATE_FALSE,
                Severity::Info,
                ip,
                "Image.Update is false: EB reused a cached image; ECS pulls the image whenever a task starts",
                "Pin the image to a tag or digest if you relied on the cached image.",
            );
        }
        Ok(())
    }

    /// `Volumes`: each becomes a host volume `volume-N` and the container's mount of it.
    fn v1_volumes(
        &mut self,
        run: &mut Dockerrun,
        c: &mut EbContainer,
        val: &Value,
        kp: &str,
    ) -> Result<(), InputError> {
        let arr = array(val, kp, "Volumes")?;
        for (i, vol) in arr.iter().enumerate() {
            let (volume, mount) = self.v1_volume(vol, idx(kp, i), format!("volume-{}", i + 1))?;
            run.volumes.push(volume);
            c.mount_points.push(mount);
        }
        Ok(())
    }

    /// One `{HostDirectory, ContainerDirectory}` (or the v2 shape `{Host, Container}`, with a
    /// finding) as the volume `name` and its mount.
    fn v1_volume(
        &mut self,
        vol: &Value,
        vp: String,
        name: String,
    ) -> Result<(EbVolume, EbMount), InputError> {
        let obj = vol.as_object().ok_or_else(|| {
            InputError::new(
                &vp,
                format!("a volume must be an object, found {}", kind_of(vol)),
            )
        })?;
        let v2_shape = obj.contains_key("Host") && !obj.contains_key("HostDirectory");
        let (host_key, container_key) = if v2_shape {
            ("Host", "Container")
        } else {
            ("HostDirectory", "ContainerDirectory")
        };
        for vk in obj.keys() {
            if vk != host_key && vk != container_key {
                self.unknown_key(&vp, vk, "volume");
            }
        }
        let (host, container_path) = if v2_shape {
            self.v1_volume_v2_shape(obj, &vp)?
        } else {
            (
                req_string(obj, &vp, "HostDirectory")?,
                req_string(obj, &vp, "ContainerDirectory")?,
            )
        };
        let volume = EbVolume {
            name: name.clone(),
            source_path: Some(host),
            pointer: vp.clone(),
        };
        let mount = EbMount {
            source_volume: name,
            container_path,
            read_only: None,
            pointer: vp,
        };
        Ok((volume, mount))
    }

    /// A v1 volume written as v2 writes a volume and its mount: `Host` is the path or
    /// `{"SourcePath": path}`, `Container` the path or `{"ContainerPath": path}`.
    fn v1_volume_v2_shape(
        &mut self,
        obj: &Map<String, Value>,
        vp: &str,
    ) -> Result<(String, String), InputError> {
        let host = nested_path(obj, vp, "Host", "SourcePath")?;
        let container = nested_path(obj, vp, "Container", "ContainerPath")?;
        self.finding(
            codes::V1_VOLUME_V2_SHAPE,
            Severity::Info,
            vp,
            format!("this version 1 volume uses the version 2 keys Host/Container; it is read as HostDirectory {host} and ContainerDirectory {container}"),
            "Nothing to do; write HostDirectory/ContainerDirectory if the file stays in use.",
        );
        Ok((host, container))
    }
}

/// `obj[key]` as a path: a string, or an object holding it under `inner` (any case).
fn nested_path(
    obj: &Map<String, Value>,
    vp: &str,
    key: &str,
    inner: &str,
) -> Result<String, InputError> {
    let kp = ptr(vp, key);
    let value = obj
        .get(key)
        .ok_or_else(|| InputError::new(vp, format!("`{key}` is required here")))?;
    if let Some(o) = value.as_object() {
        let (k, v) = o
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(inner))
            .ok_or_else(|| InputError::new(&kp, format!("`{inner}` is required here")))?;
        return string(v, &ptr(&kp, k), inner);
    }
    string(value, &kp, key)
}

#[cfg(test)]
mod tests {
    use super::super::tests::codes;
    use super::super::*;
    use serde_json::json;

    #[test]
    fn v1_without_image_is_a_blocker_and_ports_are_read() {
        let doc = json!({"AWSEBDockerrunVersion": "1", "Ports": [{"ContainerPort": "9001"}],
            "Logging": "/var/eb_log", "Command": "run --fast 'a b'"});
        let (run, findings) = parse("f", &doc).unwrap();
        assert_eq!(run.version, Version::V1);
        let c = &run.containers[0];
        assert_eq!(c.image, None);
        assert_eq!(c.port_mappings[0].container_port, 9001);
        assert_eq!(
            c.command.as_deref(),
            Some(&["run".to_string(), "--fast".into(), "a b".into()][..])
        );
        assert_eq!(run.logging.as_deref(), Some("/var/eb_log"));
        assert_eq!(codes(&findings), vec!["IMAGE-FROM-DOCKERFILE"]);
    }

    #[test]
    fn empty_authentication_means_none() {
        let doc = json!({"AWSEBDockerrunVersion": "1", "Image": {"Name": "nginx"},
            "Authentication": {}});
        let (run, findings) = parse("f", &doc).unwrap();
        assert!(run.authentication.is_none());
        assert_eq!(codes(&findings), vec!["V1-AUTHENTICATION-EMPTY"]);
        assert_eq!(findings[0].source.location, "/Authentication");
    }

    #[test]
    fn v2_shaped_volumes_are_converted() {
        let doc = json!({"AWSEBDockerrunVersion": "1", "Image": {"Name": "nginx"},
            "Volumes": [
                {"Host": {"SourcePath": "/var/app/current/conf"}, "Container": "/etc/nginx/conf.d"},
                {"Host": "/var/log/app", "Container": {"containerPath": "/logs"}},
                {"HostDirectory": "/data", "ContainerDirectory": "/data"}]});
        let (run, findings) = parse("f", &doc).unwrap();
        let c = &run.containers[0];
        let got: Vec<(Option<&str>, &str)> = run
            .volumes
            .iter()
            .zip(&c.mount_points)
            .map(|(v, m)| (v.source_path.as_deref(), m.container_path.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("/var/app/current/conf"), "/etc/nginx/conf.d"),
                (Some("/var/log/app"), "/logs"),
                (Some("/data"), "/data")
            ]
        );
        assert_eq!(
            codes(&findings),
            vec!["V1-VOLUME-V2-SHAPE", "V1-VOLUME-V2-SHAPE"]
        );
        let err = parse(
            "f",
            &json!({"AWSEBDockerrunVersion": "1", "Image": {"Name": "x"},
            "Volumes": [{"Host": {"Path": "/a"}, "Container": "/b"}]}),
        )
        .unwrap_err();
        assert_eq!(err.pointer, "/Volumes/0/Host");
    }
}
