public enum CRMCoreModule {}
