
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/lib/LatentRules.Native/src/autograd.cpp" "CMakeFiles/LatentRulesNative.dir/src/autograd.cpp.o" "gcc" "CMakeFiles/LatentRulesNative.dir/src/autograd.cpp.o.d"
  "/work/main/lib/LatentRules.Native/src/create.cpp" "CMakeFiles/LatentRulesNative.dir/src/create.cpp.o" "gcc" "CMakeFiles/LatentRulesNative.dir/src/create.cpp.o.d"
  "/work/main/lib/LatentRules.Native/src/errors.cpp" "CMakeFiles/LatentRulesNative.dir/src/errors.cpp.o" "gcc" "CMakeFiles/LatentRulesNative.dir/src/errors.cpp.o.d"
  "/work/main/lib/LatentRules.Native/src/handles.cpp" "CMakeFiles/LatentRulesNative.dir/src/handles.cpp.o" "gcc" "CMakeFiles/LatentRulesNative.dir/src/handles.cpp.o.d"
  "/work/main/lib/LatentRules.Native/src/info.cpp" "CMakeFiles/LatentRulesNative.dir/src/info.cpp.o" "gcc" "CMakeFiles/LatentRulesNative.dir/src/info.cpp.o.d"
  "/work/main/lib/LatentRules.Native/src/inplace.cpp" "CMakeFiles/LatentRulesNative.dir/src/inplace.cpp.o" "gcc" "CMakeFiles/LatentRulesNative.dir/src/inplace.cpp.o.d"
  "/work/main/lib/LatentRules.Native/src/math.cpp" "CMakeFiles/LatentRulesNative.dir/src/math.cpp.o" "gcc" "CMakeFiles/LatentRulesNative.dir/src/math.cpp.o.d"
  "/work/main/lib/LatentRules.Native/src/nn.cpp" "CMakeFiles/LatentRulesNative.dir/src/nn.cpp.o" "gcc" "CMakeFiles/LatentRulesNative.dir/src/nn.cpp.o.d"
  "/work/main/lib/LatentRules.Native/src/reduce.cpp" "CMakeFiles/LatentRulesNative.dir/src/reduce.cpp.o" "gcc" "CMakeFiles/LatentRulesNative.dir/src/reduce.cpp.o.d"
  "/work/main/lib/LatentRules.Native/src/runtime.cpp" "CMakeFiles/LatentRulesNative.dir/src/runtime.cpp.o" "gcc" "CMakeFiles/LatentRulesNative.dir/src/runtime.cpp.o.d"
  "/work/main/lib/LatentRules.Native/src/shape.cpp" "CMakeFiles/LatentRulesNative.dir/src/shape.cpp.o" "gcc" "CMakeFiles/LatentRulesNative.dir/src/shape.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
